package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A job's status within one execution, with the transitions it may take (API.md ExecutionState.jobs). */
public enum JobStatus {
  WAITING, QUEUED, RUNNING, RETRYING, COMPLETED, FAILED, CANCELLED, SKIPPED;

  private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
      WAITING, EnumSet.of(QUEUED, SKIPPED, CANCELLED, FAILED),
      QUEUED, EnumSet.of(RUNNING, RETRYING, CANCELLED),
      RUNNING, EnumSet.of(COMPLETED, FAILED, RETRYING, CANCELLED),
      RETRYING, EnumSet.of(QUEUED, CANCELLED, FAILED),
      COMPLETED, EnumSet.noneOf(JobStatus.class),
      FAILED, EnumSet.of(WAITING),
      CANCELLED, EnumSet.of(WAITING),
      SKIPPED, EnumSet.of(WAITING, CANCELLED));

  public boolean canBecome(JobStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  /** Holds an attempt that is offered to or run by a worker. */
  public boolean inFlight() {
    return this == QUEUED || this == RUNNING;
  }

  /** Nothing more will happen to the job unless the execution is retried. */
  public boolean settled() {
    return this == COMPLETED || this == FAILED || this == CANCELLED || this == SKIPPED;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase();
  }

  public static Map<JobStatus, Set<JobStatus>> transitions() {
    return ALLOWED;
  }
}
