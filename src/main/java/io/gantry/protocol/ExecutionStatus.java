package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** An execution's status, with the transitions it may take. */
public enum ExecutionStatus {
  PENDING, RUNNING, PAUSED, COMPLETED, FAILED, CANCELLED;

  private static final Map<ExecutionStatus, Set<ExecutionStatus>> ALLOWED = Map.of(
      PENDING, EnumSet.of(RUNNING, PAUSED, CANCELLED, COMPLETED, FAILED),
      RUNNING, EnumSet.of(PAUSED, COMPLETED, FAILED, CANCELLED),
      PAUSED, EnumSet.of(RUNNING, CANCELLED, COMPLETED, FAILED),
      COMPLETED, EnumSet.noneOf(ExecutionStatus.class),
      FAILED, EnumSet.of(RUNNING),
      CANCELLED, EnumSet.of(RUNNING));

  public boolean canBecome(ExecutionStatus next) {
    return ALLOWED.get(this).contains(next);
  }

  public boolean finished() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase();
  }

  public static ExecutionStatus fromWire(String s) {
    for (ExecutionStatus v : values()) {
      if (v.wireName().equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown execution status '" + s + "' (expected one of pending, running, paused, completed, failed, cancelled)");
  }

  public static Map<ExecutionStatus, Set<ExecutionStatus>> transitions() {
    return ALLOWED;
  }
}
