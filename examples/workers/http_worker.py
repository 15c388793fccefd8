#!/usr/bin/env python3
"""A Gantry HTTP worker built on the Python worker library (clients/python, standard library only).

    pip install ./clients/python          # or run this file from the repository: it finds the library itself
    python3 examples/workers/http_worker.py --server http://127.0.0.1:8080 --job-types py-train

Job type `py-train` simulates training: config {"epochs": 10, "epochSeconds": 0.5, "learningRate": 0.003,
"layers": 4}; it checkpoints every epoch and resumes from lastCheckpoint after a retry or a lost worker.
Ctrl-C or SIGTERM deregisters the worker; its unfinished jobs go back to the queue at once.
"""
import argparse
import math
import os
import sys

try:
    import gantry_worker
except ImportError:  # not installed: use the copy in this repository
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
    import gantry_worker

from gantry_worker import Worker, WorkerError


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
        ctx.log("resuming after epoch %d (attempt %d)", start, ctx.attempt)
    accuracy = 0.5
    for epoch in range(start + 1, epochs + 1):
        ctx.wait(epoch_seconds)  # the work; returns early when the worker hands the job back
        accuracy = 0.5 + (final - 0.5) * (1 - math.exp(-3.0 * epoch / epochs)) / (1 - math.exp(-3.0))
        ctx.checkpoint({"epoch": epoch, "accuracy": round(accuracy, 4)}, percent=100.0 * epoch / epochs,
                       message="epoch %d/%d" % (epoch, epochs))
    return {"accuracy": round(accuracy, 4), "epochs": epochs, "resumedFromEpoch": start,
            "hyperparameters": {"learningRate": learning_rate, "layers": layers}}


HANDLERS = {"py-train": py_train}


def csv(value):
    return [v.strip() for v in value.split(",") if v.strip()]


def main():
    parser = argparse.ArgumentParser(description="A Gantry HTTP worker (gantry_worker %s)." % gantry_worker.__version__)
    parser.add_argument("--server", default=os.environ.get("GANTRY_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("GANTRY_AUTH_TOKEN"))
    parser.add_argument("--capabilities", type=csv, default=None,
                        help="cpu,gpu,high-memory,ssd,network (default: detected)")
    parser.add_argument("--job-types", type=csv, default=sorted(HANDLERS),
                        help="job types to take, among: " + ",".join(sorted(HANDLERS)))
    parser.add_argument("--concurrency", type=int, default=2, help="jobs at a time")
    parser.add_argument("--pool", default="default")
    parser.add_argument("--worker-id", help="register under this id (default: the server picks one)")
    parser.add_argument("--shutdown-grace", type=float, default=0.0,
                        help="seconds running jobs get to finish on SIGTERM before they are handed back")
    parser.add_argument("--log-format", choices=["text", "json"], default=os.environ.get("GANTRY_LOG_FORMAT", "text"))
    args = parser.parse_args()
    unknown = [t for t in args.job_types if t not in HANDLERS]
    if unknown:
        parser.error("no handler for job type(s) %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(HANDLERS))))
    try:
        worker = Worker(args.server, token=args.token, capabilities=args.capabilities, concurrency=args.concurrency,
                        pool=args.pool, worker_id=args.worker_id, shutdown_grace=args.shutdown_grace)
    except ValueError as e:
        parser.error(str(e))
    for job_type in args.job_types:
        worker.add_job(job_type, HANDLERS[job_type])
    gantry_worker.configure_logging(args.log_format)
    try:
        worker.run()
    except WorkerError as e:
        raise SystemExit("gantry worker: %s" % e)


if __name__ == "__main__":
    main()
