"""The worker: registers, heartbeats, long-polls, runs handlers on threads, reports results until Gantry has
answered them, and leaves cleanly on SIGTERM/SIGINT. The wire protocol is docs/WORKERS.md's."""
import logging
import os
import re
import signal
import socket
import threading
import time

from . import logs
from .backoff import Backoff
from .client import Client, Unreachable
from .jobs import Attempts
from .resources import KNOWN_CAPABILITIES, Resources, detect


__all__ = ["Worker", "WorkerError"]
VERSION = "1.0.0"
log = logging.getLogger("gantry_worker")
NAME = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
WORKER_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}\Z")
MAX_POLL_WAIT_MS = 30000


class WorkerError(Exception):
    """Gantry refused the worker for good (bad registration, wrong token, id taken): retrying cannot help."""


class Worker:
    """A Gantry HTTP worker. Declare job types with the `job` decorator, then call run().

        worker = Worker("http://127.0.0.1:8080", token=None, capabilities=["cpu"], concurrency=2)

        @worker.job("train")
        def train(ctx):
            ...                      # ctx.config, ctx.dependency_outputs, ctx.last_checkpoint, ctx.progress()
            return {"accuracy": 0.9}  # the job's output (any JSON); raising fails the attempt

        worker.run()                 # blocks until SIGTERM/SIGINT or stop()

    server, token and ca_file (PEM CA certificates to trust for an https:// server) default to $GANTRY_URL (else
    http://127.0.0.1:8080), $GANTRY_AUTH_TOKEN and $GANTRY_CA_FILE. capabilities,
    cpu_cores, memory_gb and gpu_count default to what detect() finds. shutdown_grace: seconds running jobs get to
    finish on shutdown before they are handed back (0, the default, hands them back at once as cluster workers do).
    """

    def __init__(self, server=None, token=None, capabilities=None, concurrency=1, pool="default", worker_id=None,
                 resources=None, cpu_cores=None, memory_gb=None, gpu_count=None, poll_wait_ms=20000,
                 shutdown_grace=0.0, report_grace=10.0, hostname=None, version=VERSION, log_tail_lines=200,
                 client=None, ca_file=None):
        self.client = client or Client(server or os.environ.get("GANTRY_URL") or "http://127.0.0.1:8080",
                                       token if token is not None else os.environ.get("GANTRY_AUTH_TOKEN"),
                                       ca_file=ca_file or os.environ.get("GANTRY_CA_FILE") or None)
        if not isinstance(concurrency, int) or not 1 <= concurrency <= 1000:
            raise ValueError("concurrency must be an integer between 1 and 1000, not %r" % (concurrency,))
        if not NAME.match(pool or ""):
            raise ValueError("pool %r must match [A-Za-z0-9._-]{1,64}" % (pool,))
        if worker_id is not None and not WORKER_ID.match(worker_id):
            raise ValueError("worker_id %r must match [A-Za-z0-9._:@-]{1,128}" % (worker_id,))
        if not 0 <= poll_wait_ms <= MAX_POLL_WAIT_MS:
            raise ValueError("poll_wait_ms must be between 0 and %d" % MAX_POLL_WAIT_MS)
        if resources is not None and not isinstance(resources, Resources):
            raise TypeError("resources must be a gantry_worker.Resources, not %r" % (resources,))
        self.resources = (resources or detect()).with_overrides(cpu_cores, memory_gb, gpu_count)
        if isinstance(capabilities, str):
            capabilities = [c.strip() for c in capabilities.split(",") if c.strip()]
        self.capabilities = list(capabilities) if capabilities is not None else self.resources.capabilities()
        unknown = [c for c in self.capabilities if c not in KNOWN_CAPABILITIES]
        if unknown or not self.capabilities:
            raise ValueError("capabilities %r: each must be one of %s" % (unknown or self.capabilities,
                                                                           ", ".join(KNOWN_CAPABILITIES)))
        self.concurrency = concurrency
        self.pool = pool
        self.worker_id = worker_id
        self.poll_wait_ms = poll_wait_ms
        self.shutdown_grace = float(shutdown_grace)
        self.report_grace = float(report_grace)
        self.hostname = hostname or socket.gethostname()
        self.version = version
        self.log_tail_lines = log_tail_lines
        self.handlers = {}
        self.heartbeat_interval = 5.0
        self.ttl = 10.0
        self._attempts = Attempts(self.client, self.handlers, concurrency, log_tail_lines)
        self._lock = threading.Lock()
        self._registered_as = 0       # how many registrations succeeded (re-registration happens once per loss)
        self._register_lock = threading.Lock()
        self._stop_requested = threading.Event()
        self._force = threading.Event()
        self._heartbeat_stop = threading.Event()
        self._server_back = threading.Event()  # a heartbeat got through: a poll waiting out its backoff goes now
        self._fatal = None
        self.deregistered = False

    # --- declaring job types ---------------------------------------------------------------------------------

    def job(self, type_name):
        """Decorator: the function handles jobs of `type_name`; it gets a JobContext and returns the output."""
        if not NAME.match(type_name or ""):
            raise ValueError("job type %r must match [A-Za-z0-9._-]{1,64}" % (type_name,))

        def register(fn):
            self.add_job(type_name, fn)
            return fn
        return register

    def add_job(self, type_name, fn):
        if not NAME.match(type_name or ""):
            raise ValueError("job type %r must match [A-Za-z0-9._-]{1,64}" % (type_name,))
        if not callable(fn):
            raise TypeError("the handler of %r is not callable" % type_name)
        self.handlers[type_name] = fn

    # --- what the worker says about itself ---------------------------------------------------------------------

    def registration(self):
        """The body of POST /workers/register."""
        body = {"pool": self.pool, "hostname": self.hostname, "pid": os.getpid(),
                "capabilities": self.capabilities, "maxConcurrency": self.concurrency,
                "jobTypes": sorted(self.handlers), "metadata": self.resources.metadata(self.version),
                "runningAttempts": self.held()}
        if self.worker_id:
            body["workerId"] = self.worker_id
        return body

    def held(self):
        """The attempts held: running, or finished with the complete not yet answered."""
        return self._attempts.held()

    def running(self):
        """attemptId -> JobContext of the jobs running now."""
        return self._attempts.running()

    # --- running -------------------------------------------------------------------------------------------------

    def run(self, install_signal_handlers=True, configure_logging=True):
        """Registers (retrying while Gantry is away), works until stop() or SIGTERM/SIGINT, then leaves:
        running jobs get shutdown_grace seconds, the rest is handed back, and the worker deregisters.
        A second signal skips the grace. Raises WorkerError when Gantry refuses the worker for good."""
        if not self.handlers:
            raise ValueError("no job types: declare at least one with @worker.job(...)")
        if configure_logging and not logging.getLogger().handlers:
            logs.configure(os.environ.get("GANTRY_LOG_FORMAT", "text"))
        if log.level == logging.NOTSET:
            log.setLevel(logging.INFO)  # job log lines reach the job's logs whatever the root logger's level
        tail_handler = logs.TailHandler()
        logging.getLogger().addHandler(tail_handler)
        previous = self._install_signal_handlers() if install_signal_handlers else {}
        try:
            if self._register():
                threading.Thread(target=self._heartbeat_loop, name="gantry-heartbeat", daemon=True).start()
                threading.Thread(target=self._poll_loop, name="gantry-poll", daemon=True).start()
                while not self._stop_requested.wait(0.5):
                    pass
            self._leave()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            logging.getLogger().removeHandler(tail_handler)
        if self._fatal is not None:
            raise self._fatal

    def stop(self, force=False):
        """Asks run() to leave (from any thread or a signal handler); force skips the shutdown grace."""
        if force or self._stop_requested.is_set():
            self._force.set()
        self._stop_requested.set()
        self._server_back.set()

    def _install_signal_handlers(self):
        if threading.current_thread() is not threading.main_thread():
            log.info("not on the main thread: no SIGTERM/SIGINT handlers (call stop() to leave)")
            return {}
        previous = {}
        for signum in (signal.SIGTERM, signal.SIGINT):
            previous[signum] = signal.signal(signum, self._on_signal)
        return previous

    def _on_signal(self, signum, frame):
        again = self._stop_requested.is_set()
        log.info("%s: %s", signal.Signals(signum).name,
                 "leaving now, handing running jobs back" if again else "leaving")
        self.stop(force=again)

    # --- registration and heartbeats -----------------------------------------------------------------------------

    def _register(self):
        """Registers, retrying with backoff while Gantry cannot answer; False when stopped first."""
        backoff = Backoff(0.5, 2.0, 15.0)
        while not self._stop_requested.is_set():
            try:
                answer = self.client.call("POST", "/workers/register", self.registration())
            except Unreachable as e:
                reason = str(e)
            else:
                if answer.status in (200, 201):
                    self.worker_id = answer.body["workerId"]
                    self._set_interval(answer.body)
                    with self._lock:
                        self._registered_as += 1
                    logs.bind({"workerId": self.worker_id})
                    log.info("registered (pool %s, %s, job types %s, %d slots; heartbeat every %.1f s)",
                             self.pool, ",".join(self.capabilities), ",".join(sorted(self.handlers)),
                             self.concurrency, self.heartbeat_interval)
                    return True
                if answer.status in (400, 401, 403, 409):
                    self._fail(WorkerError("registration refused (HTTP %d): %s"
                                           % (answer.status, answer.error_message)))
                    return False
                reason = answer.error_message
            delay = backoff.delay()
            log.warning("cannot register (%s); again in %.1f s", reason, delay)
            self._stop_requested.wait(delay)
        return False

    def _register_again(self, seen):
        """After a 404 (Gantry forgot this worker): registers once, whoever notices first."""
        with self._register_lock:
            if self._registered_as != seen:
                return
            log.warning("Gantry no longer knows this worker (expired, or its registry restarted): registering again"
                        " with %d held attempt(s)", len(self.held()))
            self._register()

    def _set_interval(self, body):
        if isinstance(body, dict) and body.get("heartbeatIntervalMs"):
            self.heartbeat_interval = max(0.05, body["heartbeatIntervalMs"] / 1000.0)
        if isinstance(body, dict) and body.get("ttlMs"):
            self.ttl = body["ttlMs"] / 1000.0

    def _heartbeat_loop(self):
        logs.bind({"workerId": self.worker_id})
        wait = self.heartbeat_interval
        while not self._heartbeat_stop.wait(wait):
            wait = self.heartbeat_interval
            seen = self._registered_as
            beat = {"currentLoad": self._attempts.load(), "runningAttempts": self._attempts.held()}
            try:
                answer = self.client.call("POST", "/workers/%s/heartbeat" % self.worker_id, beat,
                                          timeout=max(2.0, self.ttl / 2))
            except Unreachable as e:
                log.warning("heartbeat not delivered: %s", e)
                wait = min(wait, 1.0)  # try again soon: the worker expires after ttl of silence
                continue
            if answer.ok:
                self._set_interval(answer.body)
                self._server_back.set()
            elif answer.status == 404:
                self._register_again(seen)
            elif answer.status == 401:
                self._fail(WorkerError("heartbeat refused: %s" % answer.error_message))
            else:
                log.warning("heartbeat refused: %s", answer.error_message)
                wait = min(wait, 1.0)

    def _fail(self, error):
        log.error("%s", error)
        self._fatal = error
        self.stop(force=True)

    # --- polling and running jobs --------------------------------------------------------------------------------

    def _wait_out(self, delay):
        """Waits out a poll's backoff, or less when a heartbeat got through (or the worker stops) meanwhile."""
        self._server_back.clear()
        self._server_back.wait(delay)

    def _poll_loop(self):
        logs.bind({"workerId": self.worker_id})
        backoff = Backoff(0.5, 2.0, 30.0)
        while not self._stop_requested.is_set():
            free = min(100, self._attempts.free_slots(self._stop_requested))
            if not free:
                break
            seen = self._registered_as
            try:
                answer = self.client.call("POST", "/workers/%s/poll" % self.worker_id,
                                          {"max": free, "waitMs": self.poll_wait_ms},
                                          timeout=self.poll_wait_ms / 1000.0 + 15)
            except Unreachable as e:
                delay = backoff.delay()
                log.warning("poll failed (%s); again in %.1f s", e, delay)
                self._wait_out(delay)
                continue
            if answer.status == 404:
                self._register_again(seen)
                continue
            if answer.status in (400, 401, 403):
                self._fail(WorkerError("poll refused (HTTP %d): %s" % (answer.status, answer.error_message)))
                break
            if not answer.ok:
                delay = backoff.delay()
                log.warning("poll refused (%s); again in %.1f s", answer.error_message, delay)
                self._wait_out(delay)
                continue
            backoff.reset()
            for assignment in answer.body or []:
                if self._stop_requested.is_set():
                    # Not started here: deregistering hands it back with the rest.
                    log.info("leaving: not starting %s", assignment.get("attemptId"))
                    continue
                self._attempts.start(assignment, self.worker_id)

    # --- leaving ---------------------------------------------------------------------------------------------------

    def _leave(self):
        attempts = self._attempts
        log.info("leaving with %d running job(s)", attempts.load())
        if attempts.load() and self.shutdown_grace > 0 and not self._force.is_set():
            log.info("giving running jobs up to %.1f s to finish (signal again to hand them back now)",
                     self.shutdown_grace)
            attempts.wait_until(lambda running, held: not running, self.shutdown_grace, self._force)
        handed_back = attempts.hand_back()
        if handed_back:
            log.info("handing back %d running job(s): %s", len(handed_back), ", ".join(handed_back))
            attempts.wait_until(lambda running, held: not running, 2.0)
        if not attempts.wait_until(lambda running, held: not (held - set(running)), self.report_grace):
            attempts.abandon_reports.set()
        if self.worker_id and self._registered_as:
            self._deregister()
        self._heartbeat_stop.set()
        attempts.abandon_reports.set()

    def _deregister(self):
        for attempt in range(3):
            try:
                answer = self.client.call("DELETE", "/workers/%s" % self.worker_id, timeout=5)
            except Unreachable as e:
                log.warning("deregistration not delivered (%s)", e)
                time.sleep(0.5 * (attempt + 1))
                continue
            if answer.ok or answer.status == 404:
                self.deregistered = True
                log.info("deregistered; unfinished jobs go back to the queue")
                return
            log.warning("deregistration refused: %s", answer.error_message)
            time.sleep(0.5 * (attempt + 1))
        log.error("could not deregister: Gantry expires this worker after %.0f s of silence", self.ttl)

