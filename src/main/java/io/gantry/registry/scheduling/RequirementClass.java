package io.gantry.registry.scheduling;

import java.util.TreeSet;

/** Queued attempts with equal requirements and job type, and the workers that can run them. */
final class RequirementClass {
  final RequirementKey key;
  /** Indexed by base priority 1..10. */
  final Bucket[] buckets = new Bucket[11];
  /** Capable workers with a free slot, least loaded first. */
  final TreeSet<WorkerState> freeWorkers = new TreeSet<>(WorkerState.LEAST_LOADED);
  int capableWorkers;
  int queued;
  /** Whether its buckets take part in dispatch, i.e. whether it had a free worker when last checked. */
  boolean available;

  RequirementClass(RequirementKey key) {
    this.key = key;
    for (int p = 1; p <= 10; p++) {
      buckets[p] = new Bucket(this, p);
    }
  }
}
