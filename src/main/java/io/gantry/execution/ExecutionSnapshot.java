package io.gantry.execution;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.dag.DagDocument;
import io.gantry.protocol.AttemptRecord;
import io.gantry.protocol.CborSerializable;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.List;

/** An immutable copy of {@link RunState} for the snapshot store, taken on the entity's thread. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutionSnapshot(
    String executionId,
    DagDocument document,
    ExecutionStatus status,
    long createdAt,
    Long startedAt,
    Long completedAt,
    String checkpointId,
    List<Job> jobs) implements CborSerializable {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(JobStatus status, int attempts, int attemptSerial, int failures, String currentAttemptId,
      String workerId, Long queuedAt, Long startedAt, Long completedAt, Long nextAttemptAt, String error, String logs,
      JsonNode output, JsonNode lastCheckpoint, Double progress, long executionTimeMs, List<AttemptRecord> history,
      String workerNode) implements CborSerializable {}

  static ExecutionSnapshot of(RunState s) {
    if (!s.exists()) {
      return new ExecutionSnapshot(s.executionId, null, s.status, 0, null, null, null, List.of());
    }
    List<Job> jobs = new ArrayList<>(s.jobs.length);
    for (JobRun j : s.jobs) {
      jobs.add(new Job(j.status, j.attempts, j.attemptSerial, j.failures, j.currentAttemptId, j.workerId, j.queuedAt,
          j.startedAt, j.completedAt, j.nextAttemptAt, j.error, j.logs, j.output, j.lastCheckpoint, j.progress,
          j.executionTimeMs, List.copyOf(j.history), j.workerNode));
    }
    return new ExecutionSnapshot(s.executionId, s.dag.document(), s.status, s.createdAt, s.startedAt, s.completedAt,
        s.checkpointId, jobs);
  }

  RunState toState() {
    RunState s = new RunState(executionId);
    if (document == null) {
      return s;
    }
    s.apply(new ExecutionEvent.Submitted(document, createdAt));
    s.status = status;
    s.startedAt = startedAt;
    s.completedAt = completedAt;
    s.checkpointId = checkpointId;
    java.util.Arrays.fill(s.countByStatus, 0);
    s.unsettled = 0;
    for (int i = 0; i < jobs.size(); i++) {
      Job src = jobs.get(i);
      JobRun j = s.jobs[i];
      j.status = src.status();
      j.attempts = src.attempts();
      j.attemptSerial = src.attemptSerial();
      j.failures = src.failures();
      j.currentAttemptId = src.currentAttemptId();
      j.workerId = src.workerId();
      j.workerNode = src.workerNode(); // null in snapshots written before it
      j.queuedAt = src.queuedAt();
      j.startedAt = src.startedAt();
      j.completedAt = src.completedAt();
      j.nextAttemptAt = src.nextAttemptAt();
      j.error = src.error();
      j.logs = src.logs();
      j.output = src.output();
      j.lastCheckpoint = src.lastCheckpoint();
      j.progress = src.progress();
      j.executionTimeMs = src.executionTimeMs();
      if (src.history() != null) {
        j.history = new ArrayList<>(src.history());
      }
      s.countByStatus[j.status.ordinal()]++;
      if (!j.status.settled()) {
        s.unsettled++;
      }
    }
    for (int i = 0; i < s.jobs.length; i++) {
      s.jobs[i].unmetDependencies = s.countUnmetDependencies(i);
    }
    return s;
  }
}
