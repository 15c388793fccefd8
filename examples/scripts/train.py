"""Simulated model training: one checkpoint per epoch, resumable, accuracy deterministic in its hyperparameters.

When an earlier attempt reported a checkpoint (lastCheckpoint in $GANTRY_INPUT), training resumes after that
epoch instead of starting over.
"""
import argparse
import math
import time

import gantry_job


def final_accuracy(learning_rate, layers, dropout):
    """A made-up but smooth landscape: best near lr 3e-3, deeper helps with diminishing returns."""
    lr_penalty = 0.06 * (math.log10(learning_rate) - math.log10(3e-3)) ** 2
    depth_gain = 0.05 * math.log2(max(layers, 1))
    dropout_penalty = 0.3 * (dropout - 0.2) ** 2
    return max(0.5, min(0.99, 0.78 + depth_gain - lr_penalty - dropout_penalty))


def accuracy_at(epoch, epochs, final):
    return 0.5 + (final - 0.5) * (1 - math.exp(-3.0 * epoch / epochs)) / (1 - math.exp(-3.0))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--learning-rate", type=float, required=True)
    parser.add_argument("--layers", type=int, required=True)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--epoch-seconds", type=float, default=0.5)
    args = parser.parse_args()

    inputs = gantry_job.read_input()
    dataset = gantry_job.dependency_output(inputs, "prepare-data")
    checkpoint = inputs.get("lastCheckpoint") or {}
    start = int(checkpoint.get("epoch", 0))
    if start:
        print(f"resuming {args.model} after epoch {start} (attempt {inputs.get('attempt')})", flush=True)
    print(f"training {args.model} on {dataset.get('trainRows', '?')} rows: lr={args.learning_rate} "
          f"layers={args.layers} dropout={args.dropout}", flush=True)

    final = final_accuracy(args.learning_rate, args.layers, args.dropout)
    accuracy = accuracy_at(start, args.epochs, final)
    for epoch in range(start + 1, args.epochs + 1):
        time.sleep(args.epoch_seconds)
        accuracy = accuracy_at(epoch, args.epochs, final)
        loss = -math.log(accuracy)
        gantry_job.progress(100.0 * epoch / args.epochs, f"epoch {epoch}/{args.epochs} loss {loss:.4f}",
                            {"epoch": epoch, "accuracy": round(accuracy, 4)})

    gantry_job.write_output({
        "model": args.model,
        "hyperparameters": {"learningRate": args.learning_rate, "layers": args.layers, "dropout": args.dropout,
                            "epochs": args.epochs},
        "accuracy": round(accuracy, 4),
        "loss": round(-math.log(accuracy), 4),
        "resumedFromEpoch": start,
        "dataset": dataset.get("dataset"),
    })


if __name__ == "__main__":
    main()
