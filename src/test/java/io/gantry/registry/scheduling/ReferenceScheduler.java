package io.gantry.registry.scheduling;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scheduling rules written as plainly as possible, with linear scans: the oracle that
 * {@link PoolScheduler}'s indexes must agree with. No rate limit.
 */
final class ReferenceScheduler {
  private record Queued(QueuedAttempt attempt, long seq) {}

  private static final class Worker {
    WorkerProfile profile;
    final List<String> running = new ArrayList<>();
    int reportedLoad;
    int pullCredit;

    boolean free() {
      return running.size() < profile.maxConcurrency() && (!profile.pull() || pullCredit > 0);
    }

    double utilization() {
      return (double) Math.max(running.size(), reportedLoad) / Math.max(1, profile.maxConcurrency());
    }
  }

  private final long agingStepMs;
  private final Map<String, Worker> workers = new TreeMap<>();
  private final Map<String, Queued> queue = new LinkedHashMap<>();
  private final Map<String, QueuedAttempt> running = new HashMap<>();
  private final Map<String, String> runningOn = new HashMap<>();
  private long seq;
  private boolean paused;

  ReferenceScheduler(long agingStepMs) {
    this.agingStepMs = agingStepMs;
  }

  void upsertWorker(WorkerProfile profile) {
    workers.computeIfAbsent(profile.workerId(), id -> new Worker()).profile = profile;
  }

  void removeWorker(String workerId) {
    Worker worker = workers.remove(workerId);
    if (worker != null) {
      worker.running.forEach(id -> {
        running.remove(id);
        runningOn.remove(id);
      });
    }
  }

  void setPullCredit(String workerId, int credit) {
    Worker worker = workers.get(workerId);
    if (worker != null && worker.profile.pull()) {
      worker.pullCredit = Math.max(0, credit);
    }
  }

  void setReportedLoad(String workerId, int load) {
    Worker worker = workers.get(workerId);
    if (worker != null) {
      worker.reportedLoad = Math.max(0, load);
    }
  }

  boolean offer(QueuedAttempt attempt) {
    if (queue.containsKey(attempt.attemptId()) || running.containsKey(attempt.attemptId())) {
      return false;
    }
    queue.put(attempt.attemptId(), new Queued(attempt, seq++));
    return true;
  }

  Optional<QueuedAttempt> withdraw(String attemptId) {
    return Optional.ofNullable(queue.remove(attemptId)).map(Queued::attempt);
  }

  Optional<String> release(String attemptId) {
    String workerId = runningOn.remove(attemptId);
    if (workerId == null) {
      return Optional.empty();
    }
    running.remove(attemptId);
    workers.get(workerId).running.remove(attemptId);
    return Optional.of(workerId);
  }

  List<String> drain() {
    List<String> drained = queuedIds();
    queue.clear();
    return drained;
  }

  void pause(boolean value) {
    paused = value;
  }

  List<String> queuedIds() {
    return new ArrayList<>(queue.keySet());
  }

  List<String> runningIds() {
    return new ArrayList<>(running.keySet());
  }

  List<Assignment> dispatch(long nowMs) {
    List<Assignment> out = new ArrayList<>();
    while (!paused) {
      Queued best = null;
      Worker bestWorker = null;
      for (Queued q : queue.values()) {
        if (keyHeld(q.attempt().concurrencyKey())) {
          continue;
        }
        Worker worker = leastLoadedFreeWorker(q.attempt());
        if (worker != null && (best == null || moreUrgent(q, best, nowMs))) {
          best = q;
          bestWorker = worker;
        }
      }
      if (best == null) {
        return out;
      }
      QueuedAttempt attempt = best.attempt();
      queue.remove(attempt.attemptId());
      running.put(attempt.attemptId(), attempt);
      runningOn.put(attempt.attemptId(), bestWorker.profile.workerId());
      bestWorker.running.add(attempt.attemptId());
      if (bestWorker.profile.pull()) {
        bestWorker.pullCredit--;
      }
      out.add(new Assignment(attempt, bestWorker.profile.workerId()));
    }
    return out;
  }

  Optional<BlockReason> explain(String attemptId) {
    Queued q = queue.get(attemptId);
    if (q == null) {
      return Optional.empty();
    }
    if (paused) {
      return Optional.of(BlockReason.QUEUE_PAUSED);
    }
    if (workers.values().stream().noneMatch(w -> capable(w.profile, q.attempt()))) {
      return Optional.of(BlockReason.NO_CAPABLE_WORKER);
    }
    if (keyHeld(q.attempt().concurrencyKey())) {
      return Optional.of(BlockReason.CONCURRENCY_KEY);
    }
    return Optional.of(BlockReason.CAPACITY_FULL);
  }

  private boolean keyHeld(String key) {
    return key != null && running.values().stream().anyMatch(a -> key.equals(a.concurrencyKey()));
  }

  private Worker leastLoadedFreeWorker(QueuedAttempt attempt) {
    return workers.values().stream()
        .filter(w -> w.free() && capable(w.profile, attempt))
        .min(Comparator.comparingDouble(Worker::utilization)
            .thenComparingInt(w -> w.running.size())
            .thenComparing(w -> w.profile.workerId()))
        .orElse(null);
  }

  private boolean moreUrgent(Queued a, Queued b, long nowMs) {
    int ea = effective(a.attempt(), nowMs);
    int eb = effective(b.attempt(), nowMs);
    if (ea != eb) {
      return ea > eb;
    }
    if (a.attempt().enqueuedAtMs() != b.attempt().enqueuedAtMs()) {
      return a.attempt().enqueuedAtMs() < b.attempt().enqueuedAtMs();
    }
    return a.seq() < b.seq();
  }

  private int effective(QueuedAttempt attempt, long nowMs) {
    long age = Math.max(0, nowMs - attempt.enqueuedAtMs());
    return (int) Math.min(10, attempt.priority() + age / agingStepMs);
  }

  static boolean capable(WorkerProfile w, QueuedAttempt a) {
    JobRequirements r = a.requirements();
    int gpus = Math.max(r.minGpuCount() == null ? 0 : r.minGpuCount(), r.requireGpu() ? 1 : 0);
    return w.capabilities().containsAll(r.capabilities())
        && (r.minMemoryGB() == null || w.memoryGB() >= r.minMemoryGB())
        && (r.minCpuCores() == null || w.cpuCores() >= r.minCpuCores())
        && w.gpuCount() >= gpus
        && (w.jobTypes().isEmpty() || w.jobTypes().contains(a.type()));
  }
}
