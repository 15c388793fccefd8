package io.gantry.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.AttemptRecord;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * The run-time state of one job in one execution. Mutable, but only ever changed by {@link RunState#apply}
 * (the event handler), which keeps a 10,000-job execution cheap to update.
 */
final class JobRun {
  static final int MAX_ATTEMPT_HISTORY = 20;

  JobStatus status = JobStatus.WAITING;
  /** Attempts started, the first included. */
  int attempts;
  /** Attempts created (offered); the suffix of attempt ids. */
  int attemptSerial;
  /** Failures and timeouts counted against maxRetries. */
  int failures;
  /** Dependencies not completed yet. */
  int unmetDependencies;
  String currentAttemptId;
  String workerId;
  /** The cluster node of the worker running the current attempt; null for HTTP workers or when not known. */
  String workerNode;
  Long queuedAt;
  Long startedAt;
  Long completedAt;
  Long nextAttemptAt;
  String error;
  String logs;
  JsonNode output;
  JsonNode lastCheckpoint;
  Double progress;
  long executionTimeMs;
  /** The shared empty list until the first attempt starts (most queued jobs never had one). */
  List<AttemptRecord> history = List.of();

  void recordAttemptEnd(String attemptId, String outcome, String error, long at) {
    for (int i = history.size() - 1; i >= 0; i--) {
      AttemptRecord r = history.get(i);
      if (r.attemptId().equals(attemptId)) {
        history.set(i, new AttemptRecord(r.attemptId(), r.number(), r.workerId(), r.startedAt(), at, outcome, error));
        return;
      }
    }
  }

  void recordAttemptStart(String attemptId, String workerId, long at) {
    if (history.isEmpty()) {
      history = new ArrayList<>(2);
    }
    history.add(new AttemptRecord(attemptId, attempts, workerId, at, null, "running", null));
    if (history.size() > MAX_ATTEMPT_HISTORY) {
      history.remove(0);
    }
  }
}
