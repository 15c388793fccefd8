package io.gantry.registry.scheduling;

import java.util.Comparator;

/** A queued attempt with its offer sequence number and its place in the queue. */
final class QueueEntry {

  /** Within one base priority, the oldest entry is also the most aged, hence the most urgent. */
  static final Comparator<QueueEntry> OLDEST_FIRST = (a, b) -> {
    int byTime = Long.compare(a.attempt.enqueuedAtMs(), b.attempt.enqueuedAtMs());
    return byTime != 0 ? byTime : Long.compare(a.seq, b.seq);
  };

  final QueuedAttempt attempt;
  final long seq;
  final Bucket bucket;

  QueueEntry(QueuedAttempt attempt, long seq, Bucket bucket) {
    this.attempt = attempt;
    this.seq = seq;
    this.bucket = bucket;
  }

  String key() {
    return attempt.concurrencyKey();
  }

  /** min(10, priority + floor(age / agingStepMs)); no aging when agingStepMs <= 0. */
  int effectivePriority(long nowMs, long agingStepMs) {
    int base = attempt.priority();
    long enqueued = attempt.enqueuedAtMs();
    if (agingStepMs <= 0 || nowMs <= enqueued) {
      return base;
    }
    return (int) Math.min(10L, base + (nowMs - enqueued) / agingStepMs);
  }

  /** Negative when {@code a} should run before {@code b} at {@code nowMs}. */
  static int compareUrgency(QueueEntry a, QueueEntry b, long nowMs, long agingStepMs) {
    int byPriority = Integer.compare(b.effectivePriority(nowMs, agingStepMs), a.effectivePriority(nowMs, agingStepMs));
    return byPriority != 0 ? byPriority : OLDEST_FIRST.compare(a, b);
  }
}
