package io.gantry.registry.scheduling;

import java.util.Set;

/** A read-only view of a registered worker. */
public record WorkerView(
    WorkerProfile profile, Set<String> runningAttemptIds, int reportedLoad, int pullCredit, double utilization) {

  public String workerId() {
    return profile.workerId();
  }
}
