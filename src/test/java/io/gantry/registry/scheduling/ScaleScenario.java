package io.gantry.registry.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * 1,000 workers with mixed capabilities and 100,000 attempts of 20 requirement classes (1% share
 * one of 50 concurrency keys): every attempt offered, then dispatched until all ran, each assignment
 * released as soon as it is made. Shared by {@link PoolSchedulerScaleTest} and {@link SchedulerBench}.
 */
final class ScaleScenario {
  static final int WORKERS = 1_000;
  static final int ATTEMPTS = 100_000;
  private static final List<Set<String>> CAPABILITY_CLASSES = List.of(
      Set.of(), Set.of("cpu"), Set.of("gpu"), Set.of("ssd"), Set.of("network"),
      Set.of("cpu", "ssd"), Set.of("cpu", "network"), Set.of("gpu", "high-memory"),
      Set.of("gpu", "ssd"), Set.of("high-memory"));
  private static final List<String> TYPES = List.of("shell", "python");

  /** What a run measured. */
  record Result(int offered, int assigned, long offerNanos, long dispatchNanos, int dispatchCalls) {
    double offersPerSecond() {
      return offered / (offerNanos / 1e9);
    }

    double assignmentsPerSecond() {
      return assigned / (dispatchNanos / 1e9);
    }
  }

  final List<WorkerProfile> workers = new ArrayList<>();
  final List<QueuedAttempt> attempts = new ArrayList<>();

  ScaleScenario(long seed) {
    Random random = new Random(seed);
    for (int i = 0; i < WORKERS; i++) {
      workers.add(randomWorker(random, i));
    }
    for (int i = 0; i < ATTEMPTS; i++) {
      Set<String> capabilities = CAPABILITY_CLASSES.get(random.nextInt(CAPABILITY_CLASSES.size()));
      String type = TYPES.get(random.nextInt(TYPES.size()));
      String key = random.nextInt(100) == 0 ? "key-" + random.nextInt(50) : null;
      attempts.add(new QueuedAttempt("a" + i, "e" + (i / 100), "j" + i, type, 1 + random.nextInt(10),
          new JobRequirements(capabilities, null, null, false, null), key, i, null));
    }
  }

  /**
   * @param dispatchPerEvent true: one dispatch() after every release (the actor's pattern);
   *     false: release everything assigned, then dispatch() again
   */
  Result run(boolean dispatchPerEvent) {
    PoolScheduler scheduler = new PoolScheduler(300_000, 0);
    workers.forEach(scheduler::upsertWorker);
    long now = ATTEMPTS;

    long offerStart = System.nanoTime();
    for (QueuedAttempt attempt : attempts) {
      scheduler.offer(attempt);
    }
    long offerNanos = System.nanoTime() - offerStart;

    long dispatchStart = System.nanoTime();
    Deque<String> running = new ArrayDeque<>();
    int assigned = 0;
    int calls = 0;
    do {
      for (Assignment assignment : scheduler.dispatch(now)) {
        running.add(assignment.attempt().attemptId());
        assigned++;
      }
      calls++;
      if (dispatchPerEvent) {
        String done = running.poll();
        if (done != null) {
          scheduler.release(done);
        }
      } else {
        running.forEach(scheduler::release);
        running.clear();
      }
      now++;
    } while (!running.isEmpty() || scheduler.queuedCount() > 0 && calls < 10 * ATTEMPTS);
    long dispatchNanos = System.nanoTime() - dispatchStart;
    return new Result(attempts.size(), assigned, offerNanos, dispatchNanos, calls);
  }

  private static WorkerProfile randomWorker(Random random, int index) {
    int kind = random.nextInt(100);
    Set<String> capabilities;
    int gpus = 0;
    if (kind < 55) {
      capabilities = random.nextBoolean() ? Set.of("cpu", "ssd") : Set.of("cpu", "network");
    } else if (kind < 85) {
      capabilities = Set.of("cpu", "gpu", random.nextBoolean() ? "ssd" : "high-memory");
      gpus = 1 + random.nextInt(4);
    } else {
      capabilities = Set.of("cpu", "gpu", "high-memory", "ssd", "network");
      gpus = 8;
    }
    Set<String> types = random.nextInt(10) == 0 ? Set.of("python") : Set.of();
    return new WorkerProfile("worker-" + index, capabilities, 64, 16, gpus, 2 + random.nextInt(7), types, false);
  }
}
