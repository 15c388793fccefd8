import unittest

from gantry_worker import Cancelled, JobContext, StaleAttempt
from gantry_worker.client import Answer
from gantry_worker.logs import LogTail

from .fakes import DOWN, assignment


class ContextTest(unittest.TestCase):
    def context(self, *answers, checkpoint=None):
        sent = []
        queue = list(answers)

        def report(action, body):
            sent.append((action, body))
            a = queue.pop(0) if queue else Answer(200, {"accepted": True})
            if isinstance(a, Exception):
                raise a
            return a
        return JobContext(assignment(checkpoint=checkpoint), report, LogTail(), "w1"), sent

    def test_the_assignment_is_there(self):
        ctx, _ = self.context(checkpoint={"epoch": 3})
        self.assertEqual(("e1", "train", "e1:train:1", 1), (ctx.execution_id, ctx.job_id, ctx.attempt_id,
                                                           ctx.attempt))
        self.assertEqual({"prep": {"rows": 3}}, ctx.dependency_outputs)
        self.assertTrue(ctx.resumed)
        self.assertEqual({"epoch": 3}, ctx.last_checkpoint)
        self.assertIsNone(ctx.deadline)
        self.assertEqual({"workerId": "w1", "executionId": "e1", "jobId": "train", "attemptId": "e1:train:1"},
                         ctx.fields)

    def test_progress_and_checkpoint_are_sent_with_percent_clamped(self):
        ctx, sent = self.context()
        self.assertTrue(ctx.progress(140, "almost"))
        self.assertTrue(ctx.checkpoint({"epoch": 4}, percent=40))
        self.assertEqual([("progress", {"percent": 100.0, "message": "almost", "checkpoint": None}),
                          ("progress", {"percent": 40.0, "message": None, "checkpoint": {"epoch": 4}})], sent)
        self.assertEqual({"epoch": 4}, ctx.checkpoint_data)
        with self.assertRaises(ValueError):
            ctx.checkpoint(None)

    def test_a_409_makes_the_attempt_stale_for_good(self):
        ctx, sent = self.context(Answer(409, {"error": {"code": "STALE_ATTEMPT", "message": "reassigned"}}))
        with self.assertRaises(StaleAttempt):
            ctx.progress(10)
        self.assertTrue(ctx.cancelled)
        with self.assertRaises(StaleAttempt):
            ctx.progress(20)
        self.assertEqual(1, len(sent), "nothing more is sent for a stale attempt")

    def test_an_unreachable_server_does_not_stop_the_work(self):
        ctx, _ = self.context(DOWN, Answer(503, {"error": {"code": "UNAVAILABLE", "message": "Redis"}}))
        self.assertFalse(ctx.progress(10))
        self.assertFalse(ctx.checkpoint({"epoch": 1}))
        self.assertIsNone(ctx.checkpoint_data)
        self.assertTrue(ctx.progress(30))

    def test_handing_back_interrupts_waits_and_reports(self):
        ctx, sent = self.context()
        ctx.wait(0)
        ctx._cancel()
        with self.assertRaises(Cancelled):
            ctx.wait(30)
        with self.assertRaises(Cancelled):
            ctx.progress(50)
        self.assertEqual([], sent)


if __name__ == "__main__":
    unittest.main()
