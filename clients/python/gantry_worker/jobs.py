"""The attempts a worker holds: its slots, the handler threads, and each result sent until Gantry answers it."""
import json
import logging
import threading
import time

from . import logs
from .backoff import Backoff
from .client import Unreachable
from .context import Cancelled, JobContext, StaleAttempt

try:
    import resource
except ImportError:  # not on Unix: no memory figure in the results
    resource = None

log = logging.getLogger("gantry_worker")


class Attempts:
    """Runs up to `concurrency` handlers at once, each on its own thread. An attempt is *held* from its start until
    its result is answered (or it is dropped): the heartbeats list the held ones as runningAttempts."""

    def __init__(self, client, handlers, concurrency, log_tail_lines=200):
        self.client = client
        self.handlers = handlers
        self.concurrency = concurrency
        self.log_tail_lines = log_tail_lines
        self.lock = threading.Condition()
        self._running = {}  # attemptId -> JobContext of the handlers running now
        self._held = set()
        self.abandon_reports = threading.Event()

    def held(self):
        with self.lock:
            return sorted(self._held)

    def running(self):
        with self.lock:
            return dict(self._running)

    def load(self):
        with self.lock:
            return len(self._running)

    def free_slots(self, stop):
        """Waits for a free slot (or `stop`); returns how many are free (0 when stopped)."""
        with self.lock:
            while len(self._running) >= self.concurrency and not stop.is_set():
                self.lock.wait(0.5)
            return 0 if stop.is_set() else self.concurrency - len(self._running)

    def start(self, assignment, worker_id):
        attempt_id = assignment["attemptId"]
        path = "/workers/%s/jobs/%s/" % (worker_id, attempt_id)
        ctx = JobContext(assignment, lambda action, body: self.client.call("POST", path + action, body),
                         logs.LogTail(self.log_tail_lines), worker_id)
        with self.lock:
            self._running[attempt_id] = ctx
            self._held.add(attempt_id)
        threading.Thread(target=self._execute, args=(ctx,), name="gantry-job-" + ctx.job_id, daemon=True).start()
        return ctx

    def hand_back(self):
        """Stops every running handler (their wait/check/progress raise Cancelled); no result is sent for them."""
        running = self.running()
        for ctx in running.values():
            ctx._cancel()
        return sorted(running)

    def wait_until(self, condition, seconds, interrupt=None):
        """Waits up to `seconds` for condition(running, held) to hold; False when it did not (or `interrupt`)."""
        deadline = time.monotonic() + seconds
        with self.lock:
            while not condition(self._running, self._held):
                left = deadline - time.monotonic()
                if left <= 0 or (interrupt is not None and interrupt.is_set()):
                    return False
                self.lock.wait(min(left, 0.2))
        return True

    def _execute(self, ctx):
        logs.bind(ctx.fields, ctx.tail)
        started, cpu_started = time.time(), time.thread_time()
        handler = self.handlers.get(ctx.type)
        result = None
        try:
            if handler is None:
                raise LookupError("this worker has no handler for job type %r" % ctx.type)
            ctx.log("started attempt %d (%s)%s", ctx.attempt, ctx.type,
                    ", resuming from checkpoint %s" % json.dumps(ctx.last_checkpoint) if ctx.resumed else "")
            output = handler(ctx)
            try:
                json.dumps(output, allow_nan=False)
            except (TypeError, ValueError) as e:
                raise TypeError("the handler's output is not JSON: %s" % e) from e
            result = {"success": True, "output": output}
            ctx.log("completed in %.1f s", time.time() - started)
        except StaleAttempt as e:
            ctx.log("stopped: the attempt is no longer current (%s)", e, level=logging.WARNING)
        except Cancelled:
            ctx.log("handed back to Gantry: the worker is leaving")
        except Exception as e:  # the attempt failed: Gantry decides about retries
            ctx.logger.warning("failed: %s: %s", type(e).__name__, e, exc_info=True)
            result = {"success": False, "error": "%s: %s" % (type(e).__name__, e)}
        finally:
            with self.lock:
                self._running.pop(ctx.attempt_id, None)
                self.lock.notify_all()
        if result is not None:
            result["logs"] = ctx.tail.text()
            result["metadata"] = {"executionTime": int((time.time() - started) * 1000),
                                  "memoryUsed": _max_rss_mb(),
                                  "cpuUsed": round(time.thread_time() - cpu_started, 3)}
            self._report(ctx, result)
        with self.lock:
            self._held.discard(ctx.attempt_id)
            self.lock.notify_all()

    def _report(self, ctx, result):
        """Sends the result until Gantry answers it: recorded (200) or refused as stale (409). The attempt stays
        held meanwhile, so Gantry does not run it again while the server or Redis is away."""
        backoff = Backoff(0.5, 2.0, 15.0)
        path = "/workers/%s/jobs/%s/complete" % (ctx.worker_id, ctx.attempt_id)
        while True:
            try:
                answer = self.client.call("POST", path, result)
            except Unreachable as e:
                reason = str(e)
            else:
                if answer.ok:
                    return True
                if answer.status == 409:
                    log.warning("result dropped: the attempt is no longer current (%s)", answer.error_message)
                    return False
                if 400 <= answer.status < 500 and answer.status not in (404, 408, 429):
                    log.error("result refused for good: %s", answer.error_message)
                    return False
                reason = answer.error_message
            if self.abandon_reports.is_set():
                log.error("result not delivered before leaving (%s)", reason)
                return False
            delay = backoff.delay()
            log.warning("result not delivered (%s); again in %.1f s", reason, delay)
            self.abandon_reports.wait(delay)


def _max_rss_mb():
    """The process's peak resident memory in MiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024 if resource else None
