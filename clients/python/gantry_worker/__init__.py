"""gantry_worker: a Gantry HTTP worker library in the standard library only.

    from gantry_worker import Worker

    worker = Worker("http://127.0.0.1:8080", capabilities=["cpu"], concurrency=2)

    @worker.job("train")
    def train(ctx):
        start = (ctx.last_checkpoint or {}).get("epoch", 0)
        for epoch in range(start + 1, 11):
            ...
            ctx.checkpoint({"epoch": epoch}, percent=epoch * 10)
        return {"accuracy": 0.9}

    worker.run()
"""
from .client import Answer, Client, Unreachable
from .context import Cancelled, JobContext, StaleAttempt
from .logs import configure as configure_logging
from .resources import Resources, detect as detect_resources
from .worker import VERSION as __version__, Worker, WorkerError

__all__ = ["Worker", "WorkerError", "JobContext", "StaleAttempt", "Cancelled", "Resources", "detect_resources",
           "configure_logging", "Client", "Answer", "Unreachable", "__version__"]
