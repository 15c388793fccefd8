"""Helpers for Gantry `shell` jobs (standard library only).

A shell job finds its inputs as JSON in the file named by $GANTRY_INPUT (config, dependencyOutputs, attempt,
lastCheckpoint), may write its output JSON to the file named by $GANTRY_OUTPUT, and reports progress and
checkpoints by printing lines `::progress {"percent": 40, "checkpoint": {...}}` on stdout.
"""
import json
import os


def read_input():
    """The job's inputs; an empty dict when run by hand outside Gantry."""
    path = os.environ.get("GANTRY_INPUT")
    if not path or not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f) or {}


def dependency_output(inputs, job_id):
    return (inputs.get("dependencyOutputs") or {}).get(job_id) or {}


def progress(percent, message=None, checkpoint=None):
    report = {"percent": round(percent, 1)}
    if message:
        report["message"] = message
    if checkpoint is not None:
        report["checkpoint"] = checkpoint
    print("::progress " + json.dumps(report), flush=True)


def write_output(output):
    """Writes the job's output for Gantry (and echoes it, so runs by hand show it too)."""
    path = os.environ.get("GANTRY_OUTPUT")
    if path:
        with open(path, "w", encoding="utf-8") as f:
            json.dump(output, f)
    print(json.dumps(output, indent=2), flush=True)
