"""Structured logging: every record logged on a worker's threads carries workerId, and on a job's thread also
executionId, jobId and attemptId; records logged on a job's thread also go to that job's log tail, which the
worker sends with the result (the job's `logs`)."""
import json
import logging
import sys
import threading
import time
from collections import deque

FIELDS = ("workerId", "executionId", "jobId", "attemptId")
_local = threading.local()


def bind(fields, tail=None):
    """Makes `fields` (and the LogTail `tail`, if any) this thread's: its records carry them from now on."""
    _local.fields = dict(fields)
    _local.tail = tail


def current_fields():
    return dict(getattr(_local, "fields", None) or {})


def current_tail():
    return getattr(_local, "tail", None)


class LogTail:
    """The last lines of a job's log: at most max_lines lines and max_chars characters (oldest dropped)."""

    def __init__(self, max_lines=200, max_chars=64 * 1024):
        self.max_lines, self.max_chars = max_lines, max_chars
        self._lines = deque()
        self._chars = 0
        self._lock = threading.Lock()

    def append(self, text):
        with self._lock:
            for line in str(text).splitlines() or [""]:
                line = line[: self.max_chars]
                self._lines.append(line)
                self._chars += len(line) + 1
                while len(self._lines) > self.max_lines or self._chars > self.max_chars:
                    self._chars -= len(self._lines.popleft()) + 1

    def text(self):
        with self._lock:
            return "\n".join(self._lines)

    def __len__(self):
        return len(self._lines)


class FieldsFilter(logging.Filter):
    """Sets record.gantry (the thread's fields, or those passed as extra={"gantry": {...}})."""

    def filter(self, record):
        fields = current_fields()
        fields.update(getattr(record, "gantry", None) or {})
        record.gantry = {k: fields[k] for k in FIELDS if fields.get(k) is not None}
        return True


def _utc(record):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs


class TextFormatter(logging.Formatter):
    """`2026-01-01T10:00:00.000Z INFO gantry_worker: message workerId=w1 executionId=e jobId=j attemptId=a`."""

    def format(self, record):
        fields = " ".join("%s=%s" % (k, v) for k, v in (getattr(record, "gantry", None) or {}).items())
        line = "%s %-5s %s: %s%s" % (_utc(record), record.levelname, record.name, record.getMessage(),
                                     " " + fields if fields else "")
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the fields, and the exception if any."""

    def format(self, record):
        entry = {"time": _utc(record), "level": record.levelname, "logger": record.name,
                 "message": record.getMessage()}
        entry.update(getattr(record, "gantry", None) or {})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TailHandler(logging.Handler):
    """Copies the records logged on a job's thread into that job's LogTail."""

    def __init__(self, level=logging.INFO):
        super().__init__(level)
        self.setFormatter(logging.Formatter("%(levelname)s %(message)s"))

    def emit(self, record):
        tail = current_tail()
        if tail is None:
            return
        try:
            text = record.getMessage() if record.levelno == logging.INFO else self.format(record)
            if record.exc_info and record.levelno == logging.INFO:
                text += "\n" + self.formatter.formatException(record.exc_info)
            tail.append(text)
        except Exception:  # a log line must never fail a job
            self.handleError(record)


def configure(fmt="text", level=logging.INFO, stream=None):
    """Logs to `stream` (stderr) in `fmt` ("text" or "json") with the fields; returns the handler added."""
    if fmt not in ("text", "json"):
        raise ValueError("log format must be 'text' or 'json', not %r" % fmt)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(FieldsFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return handler
