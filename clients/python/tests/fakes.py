"""A scripted stand-in for gantry_worker.client.Client: records every call and answers through a function."""
import threading

from gantry_worker.client import Answer, Unreachable


class FakeClient:
    def __init__(self, answer):
        """answer(method, path, body) returns an Answer, a (status, body) pair, or an exception to raise."""
        self.answer = answer
        self.calls = []
        self.lock = threading.Lock()

    def call(self, method, path, body=None, timeout=None):
        with self.lock:
            self.calls.append((method, path, body))
        a = self.answer(method, path, body)
        if isinstance(a, Exception):
            raise a
        return a if isinstance(a, Answer) else Answer(*a)

    def paths(self, method=None, contains=""):
        with self.lock:
            return [p for m, p, _ in self.calls if (method is None or m == method) and contains in p]

    def bodies(self, contains):
        with self.lock:
            return [b for _, p, b in self.calls if contains in p]


DOWN = Unreachable("connection refused")
REGISTERED = (201, {"workerId": "w1", "heartbeatIntervalMs": 50, "ttlMs": 100})


def assignment(job_id="train", attempt=1, checkpoint=None, type_name="train", config=None):
    return {"attemptId": "e1:%s:%d" % (job_id, attempt), "executionId": "e1", "jobId": job_id, "type": type_name,
            "config": config or {}, "dependencyOutputs": {"prep": {"rows": 3}}, "timeoutMs": 0, "attempt": attempt,
            "lastCheckpoint": checkpoint}
