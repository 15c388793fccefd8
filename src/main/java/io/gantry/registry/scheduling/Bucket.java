package io.gantry.registry.scheduling;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/** The queued attempts of one requirement class with one base priority. */
final class Bucket {
  final RequirementClass owner;
  final int priority;
  /** Every queued entry, parked ones included (listings and stats). */
  final TreeSet<QueueEntry> all = new TreeSet<>(QueueEntry.OLDEST_FIRST);
  /**
   * Entries eligible for dispatch: those without a concurrency key, plus the oldest entry of each
   * key group that is not parked. Its first entry is the bucket's candidate.
   */
  final TreeSet<QueueEntry> ready = new TreeSet<>(QueueEntry.OLDEST_FIRST);
  final Map<String, KeyGroup> keyGroups = new HashMap<>();
  /**
   * While this bucket is in the urgency index (its class has a free worker, ready is non-empty):
   * its ready head, cached because the index compares heads constantly; null otherwise.
   */
  QueueEntry indexedHead;

  Bucket(RequirementClass owner, int priority) {
    this.owner = owner;
    this.priority = priority;
  }
}
