package io.gantry.registry.scheduling;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The queued attempts of one requirement class with one base priority. An entry without a concurrency key is
 * always ready, so it is held in {@link #ready} only; {@link #keyed} holds the entries with a key, parked or not.
 * Each queued entry costs one tree node when it has no key (the common case at 100,000 queued), not two.
 */
final class Bucket {
  final RequirementClass owner;
  final int priority;
  /** Every queued entry with a concurrency key, parked ones included (listings and stats). */
  final TreeSet<QueueEntry> keyed = new TreeSet<>(QueueEntry.OLDEST_FIRST);
  /**
   * Entries eligible for dispatch: those without a concurrency key, plus the oldest entry of each
   * key group that is not parked. Its first entry is the bucket's candidate.
   */
  final TreeSet<QueueEntry> ready = new TreeSet<>(QueueEntry.OLDEST_FIRST);
  final Map<String, KeyGroup> keyGroups = new HashMap<>();
  /** How many entries are queued here, keyed or not. */
  int size;
  /**
   * While this bucket is in the urgency index (its class has a free worker, ready is non-empty):
   * its ready head, cached because the index compares heads constantly; null otherwise.
   */
  QueueEntry indexedHead;

  Bucket(RequirementClass owner, int priority) {
    this.owner = owner;
    this.priority = priority;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The oldest queued entry, keyed or not; null when empty. */
  QueueEntry oldest() {
    QueueEntry a = ready.isEmpty() ? null : ready.first();
    QueueEntry b = keyed.isEmpty() ? null : keyed.first();
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return QueueEntry.OLDEST_FIRST.compare(a, b) <= 0 ? a : b;
  }

  /** Every queued entry, oldest first: the unkeyed ones of {@link #ready} merged with {@link #keyed}. */
  Iterator<QueueEntry> oldestFirst() {
    Iterator<QueueEntry> unkeyed = ready.stream().filter(e -> e.key() == null).iterator();
    Iterator<QueueEntry> withKey = keyed.iterator();
    return new Iterator<>() {
      private QueueEntry nextUnkeyed = unkeyed.hasNext() ? unkeyed.next() : null;
      private QueueEntry nextKeyed = withKey.hasNext() ? withKey.next() : null;

      @Override
      public boolean hasNext() {
        return nextUnkeyed != null || nextKeyed != null;
      }

      @Override
      public QueueEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        QueueEntry out;
        if (nextKeyed == null || (nextUnkeyed != null && QueueEntry.OLDEST_FIRST.compare(nextUnkeyed, nextKeyed) < 0)) {
          out = nextUnkeyed;
          nextUnkeyed = unkeyed.hasNext() ? unkeyed.next() : null;
        } else {
          out = nextKeyed;
          nextKeyed = withKey.hasNext() ? withKey.next() : null;
        }
        return out;
      }
    };
  }

  void clear() {
    keyed.clear();
    ready.clear();
    keyGroups.clear();
    size = 0;
  }
}
