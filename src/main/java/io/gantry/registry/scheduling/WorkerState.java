package io.gantry.registry.scheduling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A registered worker's mutable state. */
final class WorkerState {

  /** Lowest utilization, then fewer running, then workerId; reads the frozen sort key. */
  static final Comparator<WorkerState> LEAST_LOADED = (a, b) -> {
    int c = Double.compare(a.listedUtilization, b.listedUtilization);
    if (c == 0) {
      c = Integer.compare(a.listedRunning, b.listedRunning);
    }
    return c != 0 ? c : a.profile.workerId().compareTo(b.profile.workerId());
  };

  WorkerProfile profile;
  final Map<String, QueuedAttempt> running = new LinkedHashMap<>();
  int reportedLoad;
  int pullCredit;
  final List<RequirementClass> capableClasses = new ArrayList<>();

  /** In its classes' free-worker sets; the sort key below must not change while listed. */
  boolean listed;
  double listedUtilization;
  int listedRunning;

  WorkerState(WorkerProfile profile) {
    this.profile = profile;
  }

  boolean hasFreeSlot() {
    return running.size() < profile.maxConcurrency() && (!profile.pull() || pullCredit > 0);
  }

  /** Busy slots as far as we know: what we assigned or what the worker reports, capped at its size. */
  int load() {
    return Math.min(profile.maxConcurrency(), Math.max(running.size(), reportedLoad));
  }

  double utilization() {
    return (double) Math.max(running.size(), reportedLoad) / Math.max(1, profile.maxConcurrency());
  }

  WorkerView view() {
    return new WorkerView(
        profile,
        Collections.unmodifiableSet(new LinkedHashSet<>(running.keySet())),
        reportedLoad,
        pullCredit,
        utilization());
  }
}
