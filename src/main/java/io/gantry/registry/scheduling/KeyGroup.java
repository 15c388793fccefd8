package io.gantry.registry.scheduling;

import java.util.TreeSet;

/**
 * The entries of one bucket sharing a concurrency key. Only the oldest competes for dispatch (the
 * others could not run before it anyway), so a key release wakes one entry per group, not all.
 */
final class KeyGroup {
  final Bucket bucket;
  final String key;
  final TreeSet<QueueEntry> members = new TreeSet<>(QueueEntry.OLDEST_FIRST);
  /** True while the key is held: then no member is in the bucket's ready set. */
  boolean parked;

  KeyGroup(Bucket bucket, String key) {
    this.bucket = bucket;
    this.key = key;
  }
}
