"""Writes a short training report from the chosen model."""
import gantry_job


def main():
    inputs = gantry_job.read_input()
    best = gantry_job.dependency_output(inputs, "pick-best")
    if not best:
        raise SystemExit("pick-best produced no output")
    ranking = sorted(best.get("candidates", {}).items(), key=lambda kv: -kv[1])
    lines = [f"chosen model: {best['model']} (job {best['bestJob']}), accuracy {best['accuracy']:.4f}",
             "hyperparameters: " + ", ".join(f"{k}={v}" for k, v in best["hyperparameters"].items()),
             "ranking: " + ", ".join(f"{job} {acc:.4f}" for job, acc in ranking)]
    print("\n".join(lines), flush=True)
    gantry_job.write_output({"summary": lines[0], "report": lines, "model": best["model"],
                             "accuracy": best["accuracy"]})


if __name__ == "__main__":
    main()
