import logging
import threading
import time
import unittest

from gantry_worker import Resources, Worker, WorkerError

from .fakes import DOWN, REGISTERED, FakeClient, assignment

logging.getLogger("gantry_worker").addHandler(logging.NullHandler())
logging.getLogger("user.code").setLevel(logging.INFO)


def eventually(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within %.0f s" % seconds)
        time.sleep(0.01)


class FakeGantry:
    """Answers like a node: one registration, polls that hand out `jobs` once, and scripted job reports."""

    def __init__(self, jobs=(), complete=None, poll=None):
        self.jobs = list(jobs)
        self.complete = complete or (lambda body, n: (200, {"accepted": True}))
        self.poll = poll
        self.completes = 0
        self.client = FakeClient(self.answer)

    def answer(self, method, path, body):
        if path == "/workers/register":
            return REGISTERED
        if path.endswith("/poll"):
            if self.poll is not None:
                return self.poll(len(self.client.paths(contains="/poll")))
            time.sleep(0.02)
            jobs, self.jobs = self.jobs[: body["max"]], self.jobs[body["max"]:]
            return 200, jobs
        if path.endswith("/complete"):
            self.completes += 1
            return self.complete(body, self.completes)
        return 200, {}


def worker(gantry, **options):
    options.setdefault("resources", Resources(8, 32.0))
    return Worker(client=gantry.client, **options)


def run_in_thread(w):
    errors = []

    def target():
        try:
            w.run(install_signal_handlers=False, configure_logging=False)
        except Exception as e:  # noqa: BLE001 (kept for the test to see)
            errors.append(e)
    t = threading.Thread(target=target, daemon=True)
    t.start()
    return t, errors


class RegistrationTest(unittest.TestCase):
    def test_the_registration_says_what_the_worker_is_and_holds(self):
        w = worker(FakeGantry(), capabilities="cpu,ssd", concurrency=3, pool="gpu-pool", worker_id="w1",
                   gpu_count=2)
        w.job("train")(lambda ctx: None)
        w.job("eval")(lambda ctx: None)
        body = w.registration()
        self.assertEqual(("w1", "gpu-pool", ["cpu", "ssd"], 3, ["eval", "train"], []),
                         (body["workerId"], body["pool"], body["capabilities"], body["maxConcurrency"],
                          body["jobTypes"], body["runningAttempts"]))
        self.assertEqual((8, 32.0, 2), (body["metadata"]["cpuCores"], body["metadata"]["memoryGB"],
                                        body["metadata"]["gpuCount"]))

    def test_capabilities_default_to_what_the_resources_offer(self):
        self.assertEqual(["cpu", "gpu"], worker(FakeGantry(), resources=Resources(8, 32, ["T4"])).capabilities)

    def test_bad_settings_are_refused_at_once(self):
        for options in ({"capabilities": ["quantum"]}, {"concurrency": 0}, {"pool": "a b"},
                        {"worker_id": "x" * 200}, {"poll_wait_ms": 60000}):
            with self.assertRaises(ValueError, msg=str(options)):
                worker(FakeGantry(), **options)
        with self.assertRaises(ValueError):
            worker(FakeGantry()).job("bad type")
        with self.assertRaises(ValueError):
            worker(FakeGantry()).run(install_signal_handlers=False, configure_logging=False)

    def test_registration_is_retried_while_the_server_is_down(self):
        tries = []
        client = FakeClient(lambda m, p, b: (tries.append(p), DOWN if len(tries) < 3 else REGISTERED)[1])
        w = Worker(client=client, resources=Resources(1, 1), poll_wait_ms=0)
        w.job("t")(lambda ctx: None)
        w._register_backoff = None
        t, errors = run_in_thread(w)
        eventually(lambda: w.worker_id == "w1", 10)
        w.stop()
        t.join(5)
        self.assertEqual([], errors)
        self.assertEqual(["/workers/register"] * 3, client.paths()[:3])

    def test_a_refused_registration_is_an_error_not_a_retry(self):
        client = FakeClient(lambda m, p, b: (401, {"error": {"code": "UNAUTHORIZED", "message": "token"}}))
        w = Worker(client=client, resources=Resources(1, 1))
        w.job("t")(lambda ctx: None)
        with self.assertRaises(WorkerError):
            w.run(install_signal_handlers=False, configure_logging=False)
        self.assertEqual(1, len(client.calls))

    def test_an_unknown_worker_registers_again_with_what_it_holds(self):
        polls = []

        def poll(n):
            polls.append(n)
            return (404, {"error": {"code": "NOT_FOUND", "message": "register again"}}) if n == 1 else (200, [])
        gantry = FakeGantry(poll=poll)
        w = worker(gantry, poll_wait_ms=0)
        w.job("t")(lambda ctx: None)
        t, _ = run_in_thread(w)
        eventually(lambda: len(gantry.client.paths(contains="/register")) >= 2)
        w.stop()
        t.join(5)
        self.assertEqual(2, len(gantry.client.paths(contains="/register")))

    def test_a_failing_poll_goes_again_as_soon_as_a_heartbeat_gets_through(self):
        gantry = FakeGantry(poll=lambda n: DOWN if n <= 4 else (200, []))
        w = worker(gantry, poll_wait_ms=0)
        w.job("t")(lambda ctx: None)
        t, _ = run_in_thread(w)
        eventually(lambda: len(gantry.client.paths(contains="/poll")) >= 5, 3)  # backoff alone: 7.5 s
        w.stop()
        t.join(5)


class RunningJobsTest(unittest.TestCase):
    def test_a_job_runs_its_output_is_reported_and_the_worker_leaves(self):
        gantry = FakeGantry([assignment(checkpoint={"epoch": 2})])
        w = worker(gantry, worker_id="w1")
        seen = {}

        @w.job("train")
        def train(ctx):
            seen.update(resumed=ctx.last_checkpoint, inputs=ctx.dependency_outputs)
            ctx.checkpoint({"epoch": 3}, percent=100)
            logging.getLogger("user.code").info("user log line")
            return {"accuracy": 0.9}
        t, errors = run_in_thread(w)
        eventually(lambda: gantry.completes == 1)
        w.stop()
        t.join(5)
        self.assertEqual([], errors)
        self.assertEqual({"resumed": {"epoch": 2}, "inputs": {"prep": {"rows": 3}}}, seen)
        [progress] = gantry.client.bodies("/progress")
        self.assertEqual({"epoch": 3}, progress["checkpoint"])
        [result] = gantry.client.bodies("/complete")
        self.assertEqual((True, {"accuracy": 0.9}), (result["success"], result["output"]))
        self.assertIn("started attempt 1 (train), resuming from checkpoint", result["logs"])
        self.assertIn("user log line", result["logs"])
        self.assertGreaterEqual(result["metadata"]["executionTime"], 0)
        self.assertEqual("/workers/w1", gantry.client.paths("DELETE")[-1])
        self.assertTrue(w.deregistered)
        self.assertEqual([], w.held())

    def test_a_raising_handler_fails_the_attempt_with_its_error(self):
        gantry = FakeGantry([assignment(), assignment("other", type_name="nothing-handles-this")])
        w = worker(gantry, concurrency=2)
        w.job("train")(lambda ctx: 1 / 0)
        t, _ = run_in_thread(w)
        eventually(lambda: gantry.completes == 2)
        w.stop()
        t.join(5)
        results = {b["output"] if b["success"] else b["error"] for b in gantry.client.bodies("/complete")}
        self.assertEqual({"ZeroDivisionError: division by zero",
                          "LookupError: this worker has no handler for job type 'nothing-handles-this'"},
                         results)
        self.assertIn("Traceback", gantry.client.bodies("/complete")[0]["logs"])

    def test_an_output_that_is_not_json_fails_the_attempt(self):
        gantry = FakeGantry([assignment()])
        w = worker(gantry)
        w.job("train")(lambda ctx: {"value": float("nan"), "set": {1}})
        t, _ = run_in_thread(w)
        eventually(lambda: gantry.completes == 1)
        w.stop()
        t.join(5)
        [result] = gantry.client.bodies("/complete")
        self.assertFalse(result["success"])
        self.assertIn("not JSON", result["error"])

    def test_a_result_is_sent_until_answered_and_held_meanwhile(self):
        answers = {1: DOWN, 2: (503, {"error": {"code": "UNAVAILABLE", "message": "Redis down"}})}
        gantry = FakeGantry([assignment()], complete=lambda body, n: answers.get(n, (200, {})))
        w = worker(gantry)
        w.job("train")(lambda ctx: "done")
        t, _ = run_in_thread(w)
        eventually(lambda: gantry.completes >= 2)
        heartbeat = gantry.client.bodies("/heartbeat")
        eventually(lambda: gantry.completes == 3 and not w.held(), 10)
        w.stop()
        t.join(5)
        self.assertEqual(3, gantry.completes)
        self.assertTrue(any(b["runningAttempts"] == ["e1:train:1"] for b in gantry.client.bodies("/heartbeat")),
                        heartbeat)

    def test_a_stale_answer_drops_the_result(self):
        gantry = FakeGantry([assignment()],
                            complete=lambda body, n: (409, {"error": {"code": "STALE_ATTEMPT", "message": "x"}}))
        w = worker(gantry)
        w.job("train")(lambda ctx: "done")
        t, _ = run_in_thread(w)
        eventually(lambda: gantry.completes == 1 and not w.held())
        time.sleep(0.2)
        w.stop()
        t.join(5)
        self.assertEqual(1, gantry.completes)

    def test_no_more_jobs_than_slots_run_at_once(self):
        gantry = FakeGantry([assignment("j%d" % i) for i in range(6)])
        w = worker(gantry, concurrency=2)
        lock, now, peak = threading.Lock(), [0], [0]

        @w.job("train")
        def train(ctx):
            with lock:
                now[0] += 1
                peak[0] = max(peak[0], now[0])
            time.sleep(0.1)
            with lock:
                now[0] -= 1
        t, _ = run_in_thread(w)
        eventually(lambda: gantry.completes == 6, 10)
        w.stop()
        t.join(5)
        self.assertEqual(2, peak[0])
        self.assertTrue(all(b["max"] <= 2 for b in gantry.client.bodies("/poll")))

    def test_leaving_hands_back_running_jobs_without_a_result(self):
        gantry = FakeGantry([assignment()])
        w = worker(gantry)
        started = threading.Event()

        @w.job("train")
        def train(ctx):
            started.set()
            while True:
                ctx.wait(0.05)
        t, _ = run_in_thread(w)
        started.wait(5)
        w.stop()
        t.join(5)
        self.assertFalse(t.is_alive())
        self.assertEqual(0, gantry.completes)
        self.assertEqual(["/workers/w1"], gantry.client.paths("DELETE"))

    def test_with_a_grace_running_jobs_finish_before_the_worker_leaves(self):
        gantry = FakeGantry([assignment()])
        w = worker(gantry, shutdown_grace=5)
        started = threading.Event()

        @w.job("train")
        def train(ctx):
            started.set()
            time.sleep(0.3)
            return "finished"
        t, _ = run_in_thread(w)
        started.wait(5)
        w.stop()
        t.join(5)
        self.assertEqual(1, gantry.completes)
        calls = [p for m, p, _ in gantry.client.calls if m == "DELETE" or p.endswith("/complete")]
        self.assertEqual(["/workers/w1/jobs/e1:train:1/complete", "/workers/w1"], calls)


if __name__ == "__main__":
    unittest.main()
