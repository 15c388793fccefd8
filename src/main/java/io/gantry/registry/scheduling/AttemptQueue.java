package io.gantry.registry.scheduling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The queued attempts of a pool, grouped by requirement class and base priority, and the concurrency
 * keys held by running attempts. Every operation costs O(log n), independent of how many attempts
 * or classes wait.
 */
final class AttemptQueue {
  private final long agingStepMs;
  private final UrgencyIndex index;
  private final Map<String, QueueEntry> byAttemptId = new HashMap<>();
  private final Map<RequirementKey, RequirementClass> classes = new HashMap<>();
  /** Concurrency key to the attempt holding it. */
  private final Map<String, String> heldKeys = new HashMap<>();
  /** Per held key, the groups waiting for it to be released. */
  private final Map<String, Set<KeyGroup>> parkedGroups = new HashMap<>();
  private long nextSeq;

  AttemptQueue(long agingStepMs) {
    this.agingStepMs = agingStepMs;
    this.index = new UrgencyIndex(agingStepMs);
  }

  // ---- classes

  RequirementClass existingClass(RequirementKey key) {
    return classes.get(key);
  }

  RequirementClass addClass(RequirementKey key) {
    RequirementClass created = new RequirementClass(key);
    classes.put(key, created);
    return created;
  }

  Collection<RequirementClass> classes() {
    return classes.values();
  }

  /** Forgets classes without queued attempts; returns them so workers can drop them too. */
  List<RequirementClass> removeEmptyClasses() {
    List<RequirementClass> removed = new ArrayList<>();
    classes.values().removeIf(c -> {
      boolean empty = c.queued == 0;
      if (empty) {
        removed.add(c);
      }
      return empty;
    });
    return removed;
  }

  /** Puts a class's buckets in or out of dispatch after its set of free workers changed. */
  void refreshAvailability(RequirementClass c) {
    boolean available = !c.freeWorkers.isEmpty();
    if (available == c.available) {
      return;
    }
    c.available = available;
    for (int p = 1; p <= 10; p++) {
      Bucket bucket = c.buckets[p];
      if (!available) {
        index.remove(bucket);
      } else if (!bucket.ready.isEmpty()) {
        index.add(bucket);
      }
    }
  }

  // ---- attempts

  int size() {
    return byAttemptId.size();
  }

  boolean contains(String attemptId) {
    return byAttemptId.containsKey(attemptId);
  }

  QueueEntry get(String attemptId) {
    return byAttemptId.get(attemptId);
  }

  void enqueue(QueuedAttempt attempt, RequirementClass c) {
    Bucket bucket = c.buckets[attempt.priority()];
    QueueEntry entry = new QueueEntry(attempt, nextSeq++, bucket);
    byAttemptId.put(attempt.attemptId(), entry);
    bucket.size++;
    c.queued++;
    String key = entry.key();
    if (key == null) {
      addReady(entry);
      return;
    }
    bucket.keyed.add(entry);
    KeyGroup group = bucket.keyGroups.get(key);
    if (group == null) {
      group = new KeyGroup(bucket, key);
      bucket.keyGroups.put(key, group);
      group.members.add(entry);
      if (isHeld(key)) {
        park(group);
      } else {
        addReady(entry);
      }
      return;
    }
    QueueEntry formerHead = group.members.first();
    group.members.add(entry);
    if (!group.parked && group.members.first() == entry) {
      removeReady(formerHead);
      addReady(entry);
    }
  }

  QueueEntry withdraw(String attemptId) {
    QueueEntry entry = byAttemptId.get(attemptId);
    if (entry != null) {
      unlink(entry);
    }
    return entry;
  }

  /**
   * The most urgent entry that can be dispatched now (its class has a free worker, its key is
   * free), or null. Entries found blocked by a held key on the way are parked until its release.
   */
  QueueEntry nextDispatchable(long nowMs) {
    while (true) {
      Bucket bucket = index.mostUrgent(nowMs);
      if (bucket == null) {
        return null;
      }
      QueueEntry head = bucket.indexedHead;
      if (head.key() == null || !isHeld(head.key())) {
        return head;
      }
      removeReady(head);
      park(bucket.keyGroups.get(head.key()));
    }
  }

  /** Whether some class with a free worker has a ready entry (its key may turn out held). */
  boolean hasDispatchCandidates() {
    return !index.isEmpty();
  }

  /** Removes an entry being assigned and holds its key. */
  void take(QueueEntry entry) {
    String key = entry.key();
    if (key != null) {
      heldKeys.put(key, entry.attempt.attemptId());
    }
    unlink(entry);
  }

  /** Removes and returns every queued entry, in offer order. */
  List<QueueEntry> drain() {
    List<QueueEntry> drained = new ArrayList<>(byAttemptId.values());
    drained.sort(Comparator.comparingLong(e -> e.seq));
    index.clear();
    for (RequirementClass c : classes.values()) {
      c.queued = 0;
      for (int p = 1; p <= 10; p++) {
        c.buckets[p].clear();
      }
    }
    byAttemptId.clear();
    parkedGroups.clear();
    return drained;
  }

  /** The {@code limit} most urgent entries at {@code nowMs}: a merge of the buckets' ordered sets. */
  List<QueuedAttempt> mostUrgentFirst(int limit, long nowMs) {
    record Cursor(Iterator<QueueEntry> rest, QueueEntry current) {}
    PriorityQueue<Cursor> merge = new PriorityQueue<>(
        (a, b) -> QueueEntry.compareUrgency(a.current(), b.current(), nowMs, agingStepMs));
    for (RequirementClass c : classes.values()) {
      for (int p = 1; p <= 10; p++) {
        Iterator<QueueEntry> it = c.buckets[p].oldestFirst();
        if (it.hasNext()) {
          merge.add(new Cursor(it, it.next()));
        }
      }
    }
    List<QueuedAttempt> out = new ArrayList<>();
    while (out.size() < limit && !merge.isEmpty()) {
      Cursor cursor = merge.poll();
      out.add(cursor.current().attempt);
      if (cursor.rest().hasNext()) {
        merge.add(new Cursor(cursor.rest(), cursor.rest().next()));
      }
    }
    return out;
  }

  // ---- concurrency keys

  boolean isHeld(String key) {
    return key != null && heldKeys.containsKey(key);
  }

  String holderOf(String key) {
    return heldKeys.get(key);
  }

  /** Holds {@code key} for a holder not assigned here; entries found blocked by it park until its release. */
  void holdKey(String key, String holder) {
    heldKeys.put(key, holder);
  }

  /** Releases {@code key} if {@code attemptId} holds it, waking the oldest entry of each parked group. */
  void releaseKey(String key, String attemptId) {
    if (key == null || !attemptId.equals(heldKeys.get(key))) {
      return;
    }
    heldKeys.remove(key);
    Set<KeyGroup> waiting = parkedGroups.remove(key);
    if (waiting == null) {
      return;
    }
    for (KeyGroup group : waiting) {
      group.parked = false;
      addReady(group.members.first());
    }
  }

  private void park(KeyGroup group) {
    group.parked = true;
    parkedGroups.computeIfAbsent(group.key, k -> new HashSet<>()).add(group);
  }

  // ---- internals

  private void unlink(QueueEntry entry) {
    Bucket bucket = entry.bucket;
    byAttemptId.remove(entry.attempt.attemptId());
    bucket.size--;
    bucket.owner.queued--;
    String key = entry.key();
    if (key == null) {
      removeReady(entry);
      return;
    }
    bucket.keyed.remove(entry);
    KeyGroup group = bucket.keyGroups.get(key);
    boolean wasReadyHead = !group.parked && group.members.first() == entry;
    group.members.remove(entry);
    if (wasReadyHead) {
      removeReady(entry);
    }
    if (group.members.isEmpty()) {
      bucket.keyGroups.remove(key);
      if (group.parked) {
        Set<KeyGroup> waiting = parkedGroups.get(key);
        waiting.remove(group);
        if (waiting.isEmpty()) {
          parkedGroups.remove(key);
        }
      }
    } else if (wasReadyHead) {
      if (isHeld(key)) {
        park(group);
      } else {
        addReady(group.members.first());
      }
    }
  }

  /** Adds to the bucket's ready set, re-indexing the bucket when its head changes. */
  private void addReady(QueueEntry entry) {
    Bucket bucket = entry.bucket;
    boolean newHead = bucket.ready.isEmpty() || QueueEntry.OLDEST_FIRST.compare(entry, bucket.ready.first()) < 0;
    if (newHead) {
      index.remove(bucket);
    }
    bucket.ready.add(entry);
    if (newHead && bucket.owner.available) {
      index.add(bucket);
    }
  }

  private void removeReady(QueueEntry entry) {
    Bucket bucket = entry.bucket;
    boolean wasHead = bucket.ready.first() == entry;
    if (wasHead) {
      index.remove(bucket);
    }
    bucket.ready.remove(entry);
    if (wasHead && bucket.owner.available && !bucket.ready.isEmpty()) {
      index.add(bucket);
    }
  }
}
