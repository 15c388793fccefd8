package io.gantry.registry.scheduling;

import java.util.Comparator;
import java.util.TreeSet;

/**
 * The candidate buckets of all classes that have a free worker, one ordered set per base priority,
 * each ordered by the bucket's oldest ready entry. Aging keeps the order within a base priority
 * (the oldest is the most aged), so the most urgent entry overall is the best of at most ten set
 * heads, however many classes and attempts there are.
 */
final class UrgencyIndex {
  private static final Comparator<Bucket> BY_HEAD =
      (a, b) -> QueueEntry.OLDEST_FIRST.compare(a.indexedHead, b.indexedHead);

  private final long agingStepMs;
  @SuppressWarnings("unchecked")
  private final TreeSet<Bucket>[] byPriority = new TreeSet[11];

  UrgencyIndex(long agingStepMs) {
    this.agingStepMs = agingStepMs;
    for (int p = 1; p <= 10; p++) {
      byPriority[p] = new TreeSet<>(BY_HEAD);
    }
  }

  /** Adds a bucket whose ready set is non-empty; its head must not change until it is removed. */
  void add(Bucket bucket) {
    if (bucket.indexedHead == null) {
      bucket.indexedHead = bucket.ready.first();
      byPriority[bucket.priority].add(bucket);
    }
  }

  void remove(Bucket bucket) {
    if (bucket.indexedHead != null) {
      byPriority[bucket.priority].remove(bucket);
      bucket.indexedHead = null;
    }
  }

  boolean isEmpty() {
    for (int p = 1; p <= 10; p++) {
      if (!byPriority[p].isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** The bucket holding the most urgent ready entry at {@code nowMs}, or null. */
  Bucket mostUrgent(long nowMs) {
    Bucket best = null;
    for (int p = 10; p >= 1; p--) {
      TreeSet<Bucket> level = byPriority[p];
      if (level.isEmpty()) {
        continue;
      }
      Bucket candidate = level.first();
      if (best == null
          || QueueEntry.compareUrgency(candidate.indexedHead, best.indexedHead, nowMs, agingStepMs) < 0) {
        best = candidate;
      }
    }
    return best;
  }

  void clear() {
    for (int p = 1; p <= 10; p++) {
      for (Bucket bucket : byPriority[p]) {
        bucket.indexedHead = null;
      }
      byPriority[p].clear();
    }
  }
}
