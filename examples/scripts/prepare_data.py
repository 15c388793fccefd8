"""Prepares a (synthetic) dataset: splits rows into train and validation sets and reports basic statistics."""
import argparse
import random
import time

import gantry_job


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--features", type=int, default=16)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    steps = 4
    for step in range(1, steps + 1):
        time.sleep(0.25)
        gantry_job.progress(100.0 * step / steps, f"cleaning shard {step}/{steps}")
    labels = [rng.random() < 0.42 for _ in range(args.rows)]
    validation = args.rows // 5
    gantry_job.write_output({
        "dataset": f"synthetic-{args.seed}",
        "rows": args.rows,
        "features": args.features,
        "trainRows": args.rows - validation,
        "validationRows": validation,
        "positiveRate": round(sum(labels) / len(labels), 4),
    })


if __name__ == "__main__":
    main()
