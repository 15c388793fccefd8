"""What a job handler gets: its assignment, and the helpers to report progress and checkpoints."""
import logging
import math
import threading
import time

from .client import Unreachable

log = logging.getLogger("gantry_worker.job")


class StaleAttempt(Exception):
    """Gantry answered 409: this attempt is no longer its job's current one (it timed out, was cancelled, or was
    handed to another worker). Stop working on it: its result would be dropped."""


class Cancelled(Exception):
    """The worker is shutting down and hands this attempt back to Gantry, which runs it again elsewhere (from its
    last checkpoint)."""


class JobContext:
    """One attempt of a job, as the handler sees it.

    Attributes: execution_id, job_id, attempt_id, type, config (dict), dependency_outputs (dict: each direct
    dependency's output), attempt (1 for the first attempt), last_checkpoint (the last checkpoint an earlier
    attempt reported, or None), timeout_ms, deadline (time.monotonic() by which the attempt times out, or None),
    logger (a logging.Logger whose records carry executionId/jobId/attemptId and go to the job's logs).
    """

    def __init__(self, assignment, report, tail, worker_id=None):
        self.assignment = assignment
        self.execution_id = assignment["executionId"]
        self.job_id = assignment["jobId"]
        self.attempt_id = assignment["attemptId"]
        self.type = assignment.get("type")
        self.config = assignment.get("config") or {}
        self.dependency_outputs = assignment.get("dependencyOutputs") or {}
        self.attempt = assignment.get("attempt") or 1
        self.last_checkpoint = assignment.get("lastCheckpoint")
        self.timeout_ms = assignment.get("timeoutMs") or 0
        self.started = time.monotonic()
        self.deadline = self.started + self.timeout_ms / 1000.0 if self.timeout_ms > 0 else None
        self.worker_id = worker_id
        self.logger = log
        self.tail = tail
        self.checkpoint_data = self.last_checkpoint
        self._report = report
        self._cancelled = threading.Event()
        self._stale = None

    @property
    def fields(self):
        return {"workerId": self.worker_id, "executionId": self.execution_id, "jobId": self.job_id,
                "attemptId": self.attempt_id}

    @property
    def resumed(self):
        """True when an earlier attempt left a checkpoint to resume from."""
        return self.last_checkpoint is not None

    @property
    def cancelled(self):
        """True once the worker hands this attempt back (shutdown) or Gantry refused it as stale."""
        return self._cancelled.is_set() or self._stale is not None

    def log(self, message, *args, level=logging.INFO):
        """A line of the job's log (sent with the result) and of the worker's log, with the job's fields."""
        self.logger.log(level, message, *args)

    def check(self):
        """Raises Cancelled or StaleAttempt when the attempt should stop; call it in long loops."""
        if self._stale is not None:
            raise StaleAttempt(self._stale)
        if self._cancelled.is_set():
            raise Cancelled("the worker is shutting down; the attempt goes back to Gantry")

    def wait(self, seconds):
        """Sleeps up to `seconds`, returning early (by raising Cancelled) when the attempt is handed back."""
        if self._cancelled.wait(seconds):
            self.check()
        self.check()

    def progress(self, percent=None, message=None, checkpoint=None):
        """Reports progress (percent 0..100, clamped) and optionally a checkpoint: what a later attempt gets as
        `last_checkpoint`. Returns True when Gantry recorded it, False when it could not be reached (the work goes
        on; the next report carries newer news). Raises StaleAttempt on 409, Cancelled when handed back."""
        self.check()
        body = {"percent": _clamp(percent), "message": message, "checkpoint": checkpoint}
        try:
            answer = self._report("progress", body)
        except Unreachable as e:
            self.log("progress not delivered: %s", e, level=logging.WARNING)
            return False
        if answer.status == 409:
            self._stale = answer.error_message
            raise StaleAttempt(answer.error_message)
        if not answer.ok:
            self.log("progress refused: %s", answer.error_message, level=logging.WARNING)
            return False
        if checkpoint is not None:
            self.checkpoint_data = checkpoint
        self.check()
        return True

    def checkpoint(self, data, percent=None, message=None):
        """Records `data` (any JSON) as the job's checkpoint: an attempt that runs after this one fails or is lost
        starts with it as `last_checkpoint`. Same answers as progress()."""
        if data is None:
            raise ValueError("a checkpoint must not be None")
        return self.progress(percent, message, data)

    def _cancel(self):
        self._cancelled.set()


def _clamp(percent):
    if percent is None:
        return None
    value = float(percent)
    if math.isnan(value):
        return None
    return round(max(0.0, min(100.0, value)), 2)
