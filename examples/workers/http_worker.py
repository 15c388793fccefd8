#!/usr/bin/env python3
"""A Gantry HTTP worker in plain Python (standard library only).

It registers, heartbeats on a thread at the interval the server asks for, long-polls for jobs, runs them on
threads (up to --concurrency at a time), reports progress and checkpoints, completes them, and deregisters on
Ctrl-C (its unfinished jobs are then re-queued at once). See docs/WORKERS.md for the protocol.

    python3 examples/workers/http_worker.py --server http://127.0.0.1:8080 --job-types py-train

Job type `py-train` simulates training: config {"epochs": 10, "epochSeconds": 0.5, "learningRate": 0.003,
"layers": 4}; it checkpoints every epoch and resumes from lastCheckpoint after a retry or a lost worker.
"""
import argparse
import json
import math
import os
import platform
import socket
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request

VERSION = "1.0"


class StaleAttempt(Exception):
    """The server gave the job to another attempt (409): stop working on it, the result would be dropped."""


class Gantry:
    """A minimal JSON client of the Gantry HTTP API."""

    def __init__(self, server, token):
        self.server = server.rstrip("/")
        self.token = token

    def call(self, method, path, body=None, timeout=30):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.server + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            text = e.read().decode(errors="replace")
            try:
                return e.code, json.loads(text)
            except ValueError:
                return e.code, {"error": {"code": "HTTP_%d" % e.code, "message": text}}


def error_message(answer):
    error = (answer or {}).get("error") or {}
    return "%s: %s" % (error.get("code"), error.get("message"))


class JobContext:
    """What a handler gets: the assignment, and progress reporting that raises StaleAttempt on 409."""

    def __init__(self, worker, assignment):
        self.worker = worker
        self.assignment = assignment
        self.config = assignment.get("config") or {}
        self.dependency_outputs = assignment.get("dependencyOutputs") or {}
        self.last_checkpoint = assignment.get("lastCheckpoint")
        self.attempt = assignment.get("attempt", 1)
        self.logs = []

    def log(self, line):
        self.logs.append(line)
        print("[%s/%s] %s" % (self.assignment["executionId"], self.assignment["jobId"], line), flush=True)

    def progress(self, percent, message=None, checkpoint=None):
        status, answer = self.worker.api.call(
            "POST", self.worker.job_path(self.assignment, "progress"),
            {"percent": round(percent, 1), "message": message, "checkpoint": checkpoint})
        if status == 409:
            raise StaleAttempt(error_message(answer))
        if self.worker.stopping.is_set():
            raise StaleAttempt("worker is shutting down")


def py_train(ctx):
    """Simulated training with one checkpoint per epoch; resumes after the last checkpointed epoch."""
    epochs = int(ctx.config.get("epochs", 10))
    epoch_seconds = float(ctx.config.get("epochSeconds", 0.5))
    learning_rate = float(ctx.config.get("learningRate", 0.003))
    layers = int(ctx.config.get("layers", 4))
    final = max(0.5, min(0.99, 0.78 + 0.05 * math.log2(max(layers, 1))
                         - 0.06 * (math.log10(learning_rate) - math.log10(3e-3)) ** 2))
    start = int((ctx.last_checkpoint or {}).get("epoch", 0))
    if start:
        ctx.log("resuming after epoch %d (attempt %d)" % (start, ctx.attempt))
    accuracy = 0.5
    for epoch in range(start + 1, epochs + 1):
        time.sleep(epoch_seconds)
        accuracy = 0.5 + (final - 0.5) * (1 - math.exp(-3.0 * epoch / epochs)) / (1 - math.exp(-3.0))
        ctx.progress(100.0 * epoch / epochs, "epoch %d/%d" % (epoch, epochs),
                     {"epoch": epoch, "accuracy": round(accuracy, 4)})
    return {"accuracy": round(accuracy, 4), "epochs": epochs, "resumedFromEpoch": start,
            "hyperparameters": {"learningRate": learning_rate, "layers": layers}}


HANDLERS = {"py-train": py_train}


class Worker:
    def __init__(self, args):
        self.args = args
        self.api = Gantry(args.server, args.token)
        self.worker_id = args.worker_id
        self.heartbeat_s = 10.0
        self.active = 0
        # Attempts held: running, or finished with the complete not yet answered. Sent with every registration
        # and heartbeat, so that Gantry never declares them lost while this worker is alive.
        self.held = set()
        self.lock = threading.Condition()
        self.stopping = threading.Event()

    def job_path(self, assignment, action):
        return "/workers/%s/jobs/%s/%s" % (self.worker_id, assignment["attemptId"], action)

    def register(self):
        body = {
            "pool": self.args.pool,
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "capabilities": self.args.capabilities,
            "maxConcurrency": self.args.concurrency,
            "jobTypes": self.args.job_types,
            "metadata": {"cpuCores": os.cpu_count(), "memoryGB": memory_gb(), "gpuCount": 0,
                         "version": VERSION, "platform": platform.platform()},
        }
        if self.worker_id:
            body["workerId"] = self.worker_id
        with self.lock:
            body["runningAttempts"] = sorted(self.held)
        status, answer = self.api.call("POST", "/workers/register", body)
        if status != 201:
            raise SystemExit("register failed (HTTP %d): %s" % (status, error_message(answer)))
        self.worker_id = answer["workerId"]
        self.heartbeat_s = answer.get("heartbeatIntervalMs", 10000) / 1000.0
        print("registered as %s (heartbeat every %.1f s, expires after %.1f s of silence)"
              % (self.worker_id, self.heartbeat_s, answer.get("ttlMs", 0) / 1000.0), flush=True)

    def heartbeat_loop(self):
        while not self.stopping.wait(self.heartbeat_s):
            try:
                with self.lock:
                    beat = {"currentLoad": self.active, "runningAttempts": sorted(self.held)}
                status, _ = self.api.call("POST", "/workers/%s/heartbeat" % self.worker_id, beat)
                if status == 404:
                    print("the server forgot this worker (expired?): registering again", flush=True)
                    self.register()
            except OSError as e:
                print("heartbeat failed: %s" % e, file=sys.stderr, flush=True)

    def run(self):
        self.register()
        threading.Thread(target=self.heartbeat_loop, name="heartbeat", daemon=True).start()
        while not self.stopping.is_set():
            with self.lock:
                while self.active >= self.args.concurrency and not self.stopping.is_set():
                    self.lock.wait(1.0)
                free = self.args.concurrency - self.active
            if self.stopping.is_set():
                break
            try:
                status, jobs = self.api.call("POST", "/workers/%s/poll" % self.worker_id,
                                             {"max": free, "waitMs": 20000}, timeout=40)
            except OSError as e:
                print("poll failed: %s; retrying in 2 s" % e, file=sys.stderr, flush=True)
                self.stopping.wait(2)
                continue
            if status == 404:
                self.register()
                continue
            if status != 200:
                print("poll: HTTP %d %s" % (status, error_message(jobs)), file=sys.stderr, flush=True)
                self.stopping.wait(2)
                continue
            for assignment in jobs or []:
                with self.lock:
                    self.active += 1
                    self.held.add(assignment["attemptId"])
                threading.Thread(target=self.execute, args=(assignment,), daemon=True).start()

    def execute(self, assignment):
        ctx = JobContext(self, assignment)
        started = time.time()
        handler = HANDLERS.get(assignment["type"])
        result = {"success": False}
        try:
            if handler is None:
                result = {"success": False, "error": "this worker has no handler for job type %r" % assignment["type"]}
            else:
                ctx.log("started attempt %s (%s)" % (ctx.attempt, assignment["type"]))
                result = {"success": True, "output": handler(ctx)}
        except StaleAttempt as e:
            ctx.log("stopped: %s" % e)
            result = None
        except Exception as e:  # the job failed: report it, Gantry decides about retries
            traceback.print_exc()
            result = {"success": False, "error": "%s: %s" % (type(e).__name__, e)}
        finally:
            with self.lock:
                self.active -= 1
                self.lock.notify_all()
        if result is None:
            self.forget(assignment)
            return
        result["logs"] = "\n".join(ctx.logs[-200:])
        result["metadata"] = {"executionTime": int((time.time() - started) * 1000)}
        status, answer = self.complete(assignment, result)
        self.forget(assignment)
        if status == 409:
            ctx.log("result dropped: the attempt is stale (%s)" % error_message(answer))
        elif status != 200:
            ctx.log("complete failed: HTTP %d %s" % (status, error_message(answer)))
        else:
            ctx.log("completed" if result["success"] else "failed: " + result["error"])

    def complete(self, assignment, result):
        """Sends the result until Gantry answers it (recorded, or refused as stale): a result is never dropped
        because Redis or the server was away for a while."""
        delay = 1.0
        while True:
            try:
                status, answer = self.api.call("POST", self.job_path(assignment, "complete"), result)
                if status < 500:
                    return status, answer
                reason = "HTTP %d %s" % (status, error_message(answer))
            except OSError as e:
                reason = str(e)
            print("complete of %s not answered (%s); again in %.0f s" % (assignment["attemptId"], reason, delay),
                  file=sys.stderr, flush=True)
            if self.stopping.wait(delay):
                return 0, None
            delay = min(delay * 2, 30.0)

    def forget(self, assignment):
        with self.lock:
            self.held.discard(assignment["attemptId"])

    def stop(self):
        self.stopping.set()
        if self.worker_id:
            status, _ = self.api.call("DELETE", "/workers/%s" % self.worker_id)
            print("deregistered %s (HTTP %d); unfinished jobs go back to the queue" % (self.worker_id, status),
                  flush=True)


def memory_gb():
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1)
    except (ValueError, OSError, AttributeError):
        return 0


def csv(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def main():
    parser = argparse.ArgumentParser(description="A Gantry HTTP worker.")
    parser.add_argument("--server", default=os.environ.get("GANTRY_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("GANTRY_AUTH_TOKEN"))
    parser.add_argument("--capabilities", type=csv, default=["cpu"], help="cpu,gpu,high-memory,ssd,network")
    parser.add_argument("--job-types", type=csv, default=sorted(HANDLERS), help="job types to take")
    parser.add_argument("--concurrency", type=int, default=2, help="jobs at a time")
    parser.add_argument("--pool", default="default")
    parser.add_argument("--worker-id", help="register under this id (default: the server picks one)")
    args = parser.parse_args()
    if args.concurrency < 1:
        parser.error("--concurrency must be at least 1")

    worker = Worker(args)
    try:
        worker.run()
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
    except (OSError, urllib.error.URLError) as e:
        raise SystemExit("cannot reach Gantry at %s: %s" % (args.server, e))
    finally:
        try:
            worker.stop()
        except OSError:
            pass


if __name__ == "__main__":
    main()
