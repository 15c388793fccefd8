import io
import json
import logging
import random
import threading
import unittest

from gantry_worker import logs
from gantry_worker.backoff import Backoff


class BackoffTest(unittest.TestCase):
    def test_grows_to_the_maximum_and_resets(self):
        b = Backoff(0.5, 2.0, 4.0, jitter=0)
        self.assertEqual([0.5, 1.0, 2.0, 4.0, 4.0], [b.delay() for _ in range(5)])
        b.reset()
        self.assertEqual(0.5, b.delay())

    def test_jitter_stays_within_its_spread_and_the_maximum(self):
        b = Backoff(1.0, 2.0, 8.0, jitter=0.25, rng=random.Random(7))
        for expected in (1.0, 2.0, 4.0, 8.0, 8.0):
            d = b.delay()
            self.assertTrue(expected * 0.75 <= d <= min(8.0, expected * 1.25), (expected, d))

    def test_refuses_nonsense(self):
        for args in ((0, 2, 1), (1, 0.5, 2), (2, 2, 1)):
            with self.assertRaises(ValueError):
                Backoff(*args)


class LogsTest(unittest.TestCase):
    def test_tail_keeps_the_last_lines_within_both_bounds(self):
        tail = logs.LogTail(max_lines=3, max_chars=1000)
        for i in range(10):
            tail.append("line %d" % i)
        self.assertEqual("line 7\nline 8\nline 9", tail.text())
        small = logs.LogTail(max_lines=100, max_chars=20)
        small.append("aaaaaaaaa\nbbbbbbbbb\nccccccccc")
        self.assertEqual("bbbbbbbbb\nccccccccc", small.text())

    def record(self, formatter, **gantry):
        logger = logging.getLogger("test.fields")
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(logs.FieldsFilter())
        handler.setFormatter(formatter)
        logger.addHandler(handler)
        logger.propagate = False
        try:
            logs.bind({"workerId": "w1", "executionId": "e1", "jobId": "j1", "attemptId": "e1:j1:1"})
            logger.warning("hello %s", "there", extra={"gantry": gantry} if gantry else None)
        finally:
            logs.bind({})
            logger.removeHandler(handler)
        return stream.getvalue().strip()

    def test_text_lines_end_with_the_threads_fields(self):
        line = self.record(logs.TextFormatter())
        self.assertTrue(line.endswith("WARNING test.fields: hello there workerId=w1 executionId=e1 jobId=j1 "
                                      "attemptId=e1:j1:1"), line)

    def test_json_lines_carry_the_fields_and_extra_ones_win(self):
        entry = json.loads(self.record(logs.JsonFormatter(), jobId="other"))
        self.assertEqual({"level": "WARNING", "message": "hello there", "workerId": "w1", "executionId": "e1",
                          "jobId": "other", "attemptId": "e1:j1:1", "logger": "test.fields"},
                         {k: v for k, v in entry.items() if k != "time"})

    def test_tail_handler_copies_only_the_records_of_a_job_thread(self):
        logger = logging.getLogger("test.tail")
        handler = logs.TailHandler()
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        tail = logs.LogTail()
        try:
            def job():
                logs.bind({"jobId": "j"}, tail)
                logger.info("in the job")
                logger.error("went wrong")
            t = threading.Thread(target=job)
            t.start()
            t.join()
            logger.info("not in a job")
        finally:
            logger.removeHandler(handler)
        self.assertEqual("in the job\nERROR went wrong", tail.text())

    def test_configure_refuses_an_unknown_format(self):
        with self.assertRaises(ValueError):
            logs.configure("xml")


if __name__ == "__main__":
    unittest.main()
