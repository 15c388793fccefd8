"""A small JSON client of Gantry's HTTP API (urllib): one call, one (status, body) answer."""
import json
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request


class Unreachable(Exception):
    """No HTTP answer: connection refused or reset, DNS failure, timeout. Worth retrying."""


class Answer:
    """An HTTP answer: the status and the JSON body (None when empty; an error shape when not JSON)."""

    def __init__(self, status, body):
        self.status = status
        self.body = body

    @property
    def ok(self):
        return 200 <= self.status < 300

    @property
    def error_code(self):
        return ((self.body or {}).get("error") or {}).get("code") if isinstance(self.body, dict) else None

    @property
    def error_message(self):
        if isinstance(self.body, dict) and isinstance(self.body.get("error"), dict):
            error = self.body["error"]
            return "%s: %s" % (error.get("code"), error.get("message"))
        return "HTTP %d" % self.status

    def __repr__(self):
        return "Answer(%d, %r)" % (self.status, self.body)


class Client:
    """Sends JSON to `server` (e.g. http://127.0.0.1:8080), with `Authorization: Bearer <token>` when given.

    ca_file: a PEM file of the CA certificates to trust for an https:// server (a node whose certificate your own
    CA signed); None: the system's trusted CAs. Certificates and host names are always verified."""

    def __init__(self, server, token=None, timeout=30.0, ca_file=None):
        server = server.rstrip("/")
        if urllib.parse.urlparse(server).scheme not in ("http", "https"):
            raise ValueError("server must be an http:// or https:// URL, not %r" % server)
        self.server = server
        self.token = token
        self.timeout = timeout
        self.ca_file = ca_file
        self._tls = None
        if ca_file:
            if not os.path.isfile(ca_file):
                raise ValueError("ca_file %r: no such file" % (ca_file,))
            self._tls = ssl.create_default_context(cafile=ca_file)

    def call(self, method, path, body=None, timeout=None):
        """Returns an Answer for any HTTP status; raises Unreachable when there is no answer at all."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout, context=self._tls) as response:
                return Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as e:
            with e:
                return Answer(e.code, _json(e.read()))
        except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, ssl.SSLCertVerificationError):
                reason = "%s (a node whose certificate your own CA signed: pass that CA's PEM file as ca_file= " \
                         "or $GANTRY_CA_FILE)" % (reason,)
            raise Unreachable("%s %s: %s" % (method, self.server + path, reason)) from e


def _json(raw):
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        return {"error": {"code": "NOT_JSON", "message": text[:500]}}
