package io.gantry.registry.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The in-memory matching engine of one worker pool: registered workers, queued attempts and running
 * assignments. Owned by the WorkerRegistry actor: single-threaded, not thread-safe.
 *
 * <p>Offers, releases and dispatches cost O(log n) each, n being queued attempts or workers; no
 * operation on the hot path scans all workers or all attempts (see {@link AttemptQueue},
 * {@link UrgencyIndex}, {@link WorkerPool}). A new requirement class is matched against every
 * worker once.
 */
public final class PoolScheduler {
  /** Empty classes are forgotten once the class count doubles, so odd one-off requirements don't pile up. */
  private static final int MIN_CLASS_SWEEP = 64;

  private final AttemptQueue queue;
  private final WorkerPool pool;
  private final TokenBucket rateLimit;
  private final Map<String, WorkerState> runningOn = new HashMap<>();
  private boolean paused;
  private int classSweepAt = MIN_CLASS_SWEEP;

  /**
   * @param agingStepMs an attempt climbs one priority step per this much waiting (0: no aging)
   * @param rateLimitPerSecond assignments per second, burst max(1, rate); 0 disables the limit
   */
  public PoolScheduler(long agingStepMs, double rateLimitPerSecond) {
    this.queue = new AttemptQueue(agingStepMs);
    this.pool = new WorkerPool(queue);
    this.rateLimit = new TokenBucket(rateLimitPerSecond);
  }

  // ---- workers

  /** Registers or updates a worker; it keeps its running attempts even if it no longer fits them. */
  public void upsertWorker(WorkerProfile profile) {
    pool.upsert(profile);
  }

  /** Deregisters a worker, freeing the concurrency keys of what it ran; returns those attempts. */
  public List<QueuedAttempt> removeWorker(String workerId) {
    WorkerState worker = pool.remove(workerId);
    if (worker == null) {
      return List.of();
    }
    List<QueuedAttempt> lost = new ArrayList<>(worker.running.values());
    for (QueuedAttempt attempt : lost) {
      runningOn.remove(attempt.attemptId());
      queue.releaseKey(attempt.concurrencyKey(), attempt.attemptId());
    }
    return lost;
  }

  /** How many jobs an HTTP worker's open long poll wants now (0 when none is open); push workers ignore it. */
  public void setPullCredit(String workerId, int credit) {
    WorkerState worker = pool.get(workerId);
    if (worker == null || !worker.profile.pull()) {
      return;
    }
    int newCredit = Math.max(0, credit);
    boolean freeBefore = worker.hasFreeSlot();
    if (freeBefore == (newCredit > 0 && worker.running.size() < worker.profile.maxConcurrency())) {
      worker.pullCredit = newCredit; // credit is not part of the load order: no re-sort needed
    } else {
      pool.update(worker, () -> worker.pullCredit = newCredit);
    }
  }

  /** The load a worker's heartbeat reports; its utilization is max(running, reported) / maxConcurrency. */
  public void setReportedLoad(String workerId, int load) {
    WorkerState worker = pool.get(workerId);
    if (worker != null && worker.reportedLoad != load) {
      pool.update(worker, () -> worker.reportedLoad = Math.max(0, load));
    }
  }

  public Optional<WorkerView> worker(String workerId) {
    return Optional.ofNullable(pool.get(workerId)).map(WorkerState::view);
  }

  /** Every worker, ordered by id. */
  public Collection<WorkerView> workers() {
    return pool.all().stream().map(WorkerState::view).sorted(Comparator.comparing(WorkerView::workerId)).toList();
  }

  // ---- attempts

  /** Queues an attempt; false (and nothing changes) if it is already queued or running. */
  public boolean offer(QueuedAttempt attempt) {
    if (queue.contains(attempt.attemptId()) || runningOn.containsKey(attempt.attemptId())) {
      return false;
    }
    queue.enqueue(attempt, classFor(RequirementKey.of(attempt)));
    return true;
  }

  /** Removes a queued attempt (cancel, pause); empty if it is not queued. */
  public Optional<QueuedAttempt> withdraw(String attemptId) {
    return Optional.ofNullable(queue.withdraw(attemptId)).map(e -> e.attempt);
  }

  /** An assigned attempt ended: frees its slot and its concurrency key; returns the worker it ran on. */
  public Optional<String> release(String attemptId) {
    WorkerState worker = runningOn.remove(attemptId);
    if (worker == null) {
      return Optional.empty();
    }
    QueuedAttempt attempt = worker.running.get(attemptId);
    pool.update(worker, () -> worker.running.remove(attemptId));
    queue.releaseKey(attempt.concurrencyKey(), attemptId);
    return Optional.of(worker.profile.workerId());
  }

  public Optional<String> assignedWorker(String attemptId) {
    return Optional.ofNullable(runningOn.get(attemptId)).map(w -> w.profile.workerId());
  }

  /** The attempt assigned under {@code attemptId}, or null. */
  public QueuedAttempt assignedAttempt(String attemptId) {
    WorkerState worker = runningOn.get(attemptId);
    return worker == null ? null : worker.running.get(attemptId);
  }

  public int queuedCount() {
    return queue.size();
  }

  public int runningCount() {
    return runningOn.size();
  }

  public boolean isQueued(String attemptId) {
    return queue.contains(attemptId);
  }

  /** Queued attempts by base priority (no aging), most urgent first. */
  public List<QueuedAttempt> queued(int limit) {
    return queue.mostUrgentFirst(limit, Long.MIN_VALUE);
  }

  /** Queued attempts in dispatch order at {@code nowMs} (aging applied), most urgent first. */
  public List<QueuedAttempt> queued(int limit, long nowMs) {
    return queue.mostUrgentFirst(limit, nowMs);
  }

  // ---- dispatch

  /**
   * Assigns as many queued attempts as possible now, most urgent first, each to its least loaded
   * capable worker with a free slot. Each assignment takes the slot, the concurrency key, a
   * rate-limit token and, for a pull worker, one credit.
   */
  public List<Assignment> dispatch(long nowMs) {
    if (paused) {
      return List.of();
    }
    rateLimit.refill(nowMs);
    List<Assignment> assignments = new ArrayList<>();
    while (rateLimit.hasToken()) {
      QueueEntry entry = queue.nextDispatchable(nowMs);
      if (entry == null) {
        break;
      }
      WorkerState worker = entry.bucket.owner.freeWorkers.first();
      QueuedAttempt attempt = entry.attempt;
      queue.take(entry);
      pool.update(worker, () -> {
        worker.running.put(attempt.attemptId(), attempt);
        if (worker.profile.pull()) {
          worker.pullCredit--;
        }
      });
      runningOn.put(attempt.attemptId(), worker);
      rateLimit.take();
      assignments.add(new Assignment(attempt, worker.profile.workerId()));
    }
    return assignments;
  }

  // ---- concurrency keys held outside this pool's assignments

  /** The holder that stands for a key held in another pool (its lock refused to an attempt of this one). */
  public static final String HELD_ELSEWHERE = "(held in another pool)";

  /**
   * Holds {@code key} for {@code holder}, an attempt this scheduler did not assign (adopted after a restart) or
   * {@link #HELD_ELSEWHERE}, until {@link #releaseKey}. A key held by an attempt of this pool stays so (false).
   */
  public boolean holdKey(String key, String holder) {
    String current = queue.holderOf(key);
    if (current != null && !current.equals(HELD_ELSEWHERE) && !current.equals(holder)) {
      return false;
    }
    queue.holdKey(key, holder);
    return true;
  }

  /** Releases {@code key} if {@code holder} holds it, waking what waits for it. */
  public void releaseKey(String key, String holder) {
    queue.releaseKey(key, holder);
  }

  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  public boolean paused() {
    return paused;
  }

  /** Removes and returns every queued attempt, in offer order; running ones are untouched. */
  public List<QueuedAttempt> drain() {
    return queue.drain().stream().map(e -> e.attempt).toList();
  }

  /** Why a queued attempt is not running; empty if it is not queued. */
  public Optional<BlockReason> explain(String attemptId, long nowMs) {
    QueueEntry entry = queue.get(attemptId);
    if (entry == null) {
      return Optional.empty();
    }
    if (paused) {
      return Optional.of(BlockReason.QUEUE_PAUSED);
    }
    if (entry.bucket.owner.capableWorkers == 0) {
      return Optional.of(blockedByShellPolicy(entry.bucket.owner.key)
          ? BlockReason.SHELL_NOT_ALLOWED : BlockReason.NO_CAPABLE_WORKER);
    }
    if (queue.isHeld(entry.key())) {
      return Optional.of(BlockReason.CONCURRENCY_KEY);
    }
    if (!rateLimit.hasTokenAt(nowMs)) {
      return Optional.of(BlockReason.RATE_LIMIT);
    }
    return Optional.of(BlockReason.CAPACITY_FULL);
  }

  /** A shell attempt that some worker would take but for its shell policy (only asked on explain: O(workers)). */
  private boolean blockedByShellPolicy(RequirementKey key) {
    return RequirementKey.SHELL.equals(key.type()) && pool.all().stream()
        .anyMatch(w -> w.profile.shellCommands() != null && key.admitsApartFromShellPolicy(w.profile));
  }

  /** Costs O(requirement classes), not O(attempts or workers). */
  public SchedulerStats stats(long nowMs) {
    Map<Integer, Integer> byPriority = new TreeMap<>();
    Map<String, int[]> queuedByCapability = new TreeMap<>();
    Map<String, Long> oldestByCapability = new HashMap<>();
    long oldestOverall = Long.MAX_VALUE;
    for (RequirementClass c : queue.classes()) {
      if (c.queued == 0) {
        continue;
      }
      String name = c.key.capabilityClass();
      queuedByCapability.computeIfAbsent(name, k -> new int[1])[0] += c.queued;
      for (int p = 1; p <= 10; p++) {
        Bucket bucket = c.buckets[p];
        if (bucket.isEmpty()) {
          continue;
        }
        byPriority.merge(p, bucket.size, Integer::sum);
        long oldest = bucket.oldest().attempt.enqueuedAtMs();
        oldestByCapability.merge(name, oldest, Math::min);
        oldestOverall = Math.min(oldestOverall, oldest);
      }
    }
    Map<String, ClassBacklog> backlog = new TreeMap<>();
    queuedByCapability.forEach((name, count) ->
        backlog.put(name, new ClassBacklog(count[0], ageMs(oldestByCapability.get(name), nowMs))));
    int totalSlots = pool.totalSlots();
    return new SchedulerStats(
        queue.size(),
        runningOn.size(),
        pool.size(),
        totalSlots,
        runningOn.size(),
        totalSlots == 0 ? 0 : (double) pool.totalLoad() / totalSlots,
        byPriority,
        backlog,
        oldestOverall == Long.MAX_VALUE ? 0 : ageMs(oldestOverall, nowMs));
  }

  /**
   * When the actor should call {@link #dispatch} again without any other event: the delay until the
   * rate limit refills while attempts wait for it, else -1. Aging only reorders, never needs one.
   * May answer 0 once for attempts whose concurrency key turned out held; the dispatch that follows
   * parks them.
   */
  public long nextWakeupDelayMs(long nowMs) {
    if (paused || !rateLimit.limited() || !queue.hasDispatchCandidates()) {
      return -1;
    }
    return rateLimit.delayUntilTokenMs(nowMs);
  }

  private RequirementClass classFor(RequirementKey key) {
    RequirementClass existing = queue.existingClass(key);
    if (existing != null) {
      return existing;
    }
    if (queue.classes().size() >= classSweepAt) {
      pool.forgetClasses(queue.removeEmptyClasses());
      classSweepAt = Math.max(MIN_CLASS_SWEEP, 2 * queue.classes().size());
    }
    RequirementClass created = queue.addClass(key);
    pool.matchNewClass(created);
    return created;
  }

  private static long ageMs(long enqueuedAtMs, long nowMs) {
    return Math.max(0, nowMs - enqueuedAtMs);
  }
}
