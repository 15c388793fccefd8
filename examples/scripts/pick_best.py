"""Picks the most accurate of the training jobs it depends on (their outputs arrive as dependencyOutputs)."""
import gantry_job


def main():
    inputs = gantry_job.read_input()
    candidates = [dict(output, jobId=job_id)
                  for job_id, output in sorted((inputs.get("dependencyOutputs") or {}).items())
                  if isinstance(output, dict) and "accuracy" in output]
    if not candidates:
        raise SystemExit("no training results among the dependency outputs")
    best = max(candidates, key=lambda c: c["accuracy"])
    for c in candidates:
        print(f"{c['jobId']:<14} {c['model']:<8} accuracy {c['accuracy']:.4f}", flush=True)
    gantry_job.progress(100, f"best: {best['model']}")
    gantry_job.write_output({
        "bestJob": best["jobId"],
        "model": best["model"],
        "accuracy": best["accuracy"],
        "hyperparameters": best["hyperparameters"],
        "candidates": {c["jobId"]: c["accuracy"] for c in candidates},
    })


if __name__ == "__main__":
    main()
