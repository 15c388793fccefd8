package io.gantry.registry.scheduling;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registered workers, which requirement classes each can serve, and for each class the workers
 * with a free slot ordered by load. A slot change re-sorts the worker in the free sets of its own
 * classes only.
 */
final class WorkerPool {
  private final AttemptQueue queue;
  private final Map<String, WorkerState> workers = new HashMap<>();
  private int totalSlots;
  private long totalLoad;

  WorkerPool(AttemptQueue queue) {
    this.queue = queue;
  }

  WorkerState get(String workerId) {
    return workers.get(workerId);
  }

  Collection<WorkerState> all() {
    return workers.values();
  }

  int size() {
    return workers.size();
  }

  int totalSlots() {
    return totalSlots;
  }

  long totalLoad() {
    return totalLoad;
  }

  void upsert(WorkerProfile profile) {
    WorkerState existing = workers.get(profile.workerId());
    if (existing != null && existing.profile.equals(profile)) {
      return;
    }
    WorkerState worker = existing != null ? existing : new WorkerState(profile);
    workers.put(profile.workerId(), worker);
    if (existing != null) {
      totalSlots -= existing.profile.maxConcurrency();
    }
    totalSlots += profile.maxConcurrency();
    List<RequirementClass> formerClasses = List.copyOf(worker.capableClasses);
    update(worker, () -> {
      for (RequirementClass c : worker.capableClasses) {
        c.capableWorkers--;
      }
      worker.capableClasses.clear();
      worker.profile = profile;
      for (RequirementClass c : queue.classes()) {
        if (c.key.admits(profile)) {
          worker.capableClasses.add(c);
          c.capableWorkers++;
        }
      }
    });
    for (RequirementClass c : formerClasses) {
      queue.refreshAvailability(c);
    }
  }

  WorkerState remove(String workerId) {
    WorkerState worker = workers.remove(workerId);
    if (worker == null) {
      return null;
    }
    unlist(worker);
    totalSlots -= worker.profile.maxConcurrency();
    totalLoad -= worker.load();
    for (RequirementClass c : worker.capableClasses) {
      c.capableWorkers--;
      queue.refreshAvailability(c);
    }
    return worker;
  }

  /** Matches a new class against every worker: once per class, never per attempt. */
  void matchNewClass(RequirementClass c) {
    for (WorkerState worker : workers.values()) {
      if (c.key.admits(worker.profile)) {
        worker.capableClasses.add(c);
        c.capableWorkers++;
        if (worker.listed) {
          c.freeWorkers.add(worker);
        }
      }
    }
    queue.refreshAvailability(c);
  }

  void forgetClasses(List<RequirementClass> removed) {
    Set<RequirementClass> gone = Set.copyOf(removed);
    for (WorkerState worker : workers.values()) {
      worker.capableClasses.removeIf(gone::contains);
    }
  }

  /**
   * Applies a change to a worker's slots, load, credit or profile: takes it out of the free sets
   * (their order must not change under them), mutates, and puts it back where it now belongs.
   */
  void update(WorkerState worker, Runnable mutation) {
    unlist(worker);
    totalLoad -= worker.load();
    mutation.run();
    totalLoad += worker.load();
    if (worker.hasFreeSlot()) {
      worker.listedUtilization = worker.utilization();
      worker.listedRunning = worker.running.size();
      for (RequirementClass c : worker.capableClasses) {
        c.freeWorkers.add(worker);
      }
      worker.listed = true;
    }
    for (RequirementClass c : worker.capableClasses) {
      queue.refreshAvailability(c);
    }
  }

  private void unlist(WorkerState worker) {
    if (worker.listed) {
      for (RequirementClass c : worker.capableClasses) {
        c.freeWorkers.remove(worker);
      }
      worker.listed = false;
    }
  }
}
