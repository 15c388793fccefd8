"""The worker PythonWorkerTest (src/test/java/io/gantry/clients) runs against a real node:

    python3 e2e_worker.py SERVER TOKEN WORKER_ID

Job types: `prepare` (progress, then its rows), `train` (a checkpoint per epoch; its first attempt fails at
config.failAtEpoch; later attempts resume from last_checkpoint), `steps` (config.steps steps of 0.1 s, a checkpoint
each, resuming from last_checkpoint; for handing back on SIGTERM)."""
import sys

import gantry_worker
from gantry_worker import Worker

print("gantry_worker from", gantry_worker.__file__, flush=True)

server, token, worker_id = sys.argv[1:4]
worker = Worker(server, token=token, worker_id=worker_id, concurrency=2, poll_wait_ms=5000)


@worker.job("prepare")
def prepare(ctx):
    ctx.progress(50, "half the rows")
    return {"rows": ctx.config["rows"]}


@worker.job("train")
def train(ctx):
    start = (ctx.last_checkpoint or {}).get("epoch", 0)
    for epoch in range(start + 1, ctx.config["epochs"] + 1):
        if ctx.attempt == 1 and epoch == ctx.config.get("failAtEpoch"):
            raise RuntimeError("simulated crash at epoch %d" % epoch)
        ctx.wait(0.05)
        ctx.checkpoint({"epoch": epoch}, percent=100.0 * epoch / ctx.config["epochs"], message="epoch %d" % epoch)
    return {"epochs": ctx.config["epochs"], "resumedFromEpoch": start, "attempt": ctx.attempt,
            "rows": ctx.dependency_outputs["prepare"]["rows"]}


@worker.job("steps")
def steps(ctx):
    start = (ctx.last_checkpoint or {}).get("step", 0)
    for step in range(start + 1, ctx.config["steps"] + 1):
        ctx.wait(0.1)
        ctx.checkpoint({"step": step, "worker": worker_id}, percent=100.0 * step / ctx.config["steps"])
    return {"resumedFromStep": start, "worker": worker_id}


worker.run()
