package io.gantry.execution;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.dag.DagDocument;
import io.gantry.protocol.CborSerializable;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.Principal;
import java.util.List;

/**
 * Everything that happens to an execution, as stored in the journal (past tense). The state is a fold of these;
 * the SSE stream and the actor API's subscriptions are projections of them. {@code by} on the events of user actions
 * (submit, pause, resume, cancel, retry) is who asked ({@link Principal}); it is null in events written before it was
 * recorded and in messages of older nodes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "e")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExecutionEvent.Submitted.class, name = "submitted"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobsQueued.class, name = "queued"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobStarted.class, name = "started"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobProgressed.class, name = "progress"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobSucceeded.class, name = "succeeded"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobFailed.class, name = "failed"),
    @JsonSubTypes.Type(value = ExecutionEvent.AttemptLost.class, name = "lost"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobsSkipped.class, name = "skipped"),
    @JsonSubTypes.Type(value = ExecutionEvent.Paused.class, name = "paused"),
    @JsonSubTypes.Type(value = ExecutionEvent.Resumed.class, name = "resumed"),
    @JsonSubTypes.Type(value = ExecutionEvent.Cancelled.class, name = "cancelled"),
    @JsonSubTypes.Type(value = ExecutionEvent.JobCancelled.class, name = "job-cancelled"),
    @JsonSubTypes.Type(value = ExecutionEvent.Retried.class, name = "retried"),
    @JsonSubTypes.Type(value = ExecutionEvent.CheckpointLinked.class, name = "checkpoint"),
    @JsonSubTypes.Type(value = ExecutionEvent.Finished.class, name = "finished"),
})
public sealed interface ExecutionEvent extends CborSerializable {

  long at();

  /** The run was created from this document. */
  record Submitted(DagDocument document, long at, Principal by) implements ExecutionEvent {
    public Submitted(DagDocument document, long at) {
      this(document, at, null);
    }
  }

  /** Jobs got new attempts and were offered to the registry (from waiting, retrying, or after a lost attempt). */
  record JobsQueued(List<QueuedAttempt> attempts, long at) implements ExecutionEvent {}

  record QueuedAttempt(String jobId, String attemptId) implements CborSerializable {}

  /** {@code workerNode}: the cluster node of the worker (null for HTTP workers, and in events written before it). */
  record JobStarted(String jobId, String attemptId, String workerId, String workerNode, long at)
      implements ExecutionEvent {}

  /** {@code logs}: output lines printed since the last report (null: none, and in events written before it). */
  record JobProgressed(String jobId, String attemptId, Double percent, String message, JsonNode checkpoint, long at,
      String logs) implements ExecutionEvent {
    public JobProgressed(String jobId, String attemptId, Double percent, String message, JsonNode checkpoint,
        long at) {
      this(jobId, attemptId, percent, message, checkpoint, at, null);
    }
  }

  record JobSucceeded(String jobId, String attemptId, JsonNode output, String logs, long executionTimeMs, long at)
      implements ExecutionEvent {}

  /** An attempt failed or timed out; {@code retryAt} is when the next attempt is due, null when it failed for good. */
  record JobFailed(String jobId, String attemptId, String error, String logs, boolean timedOut, Long retryAt, long at)
      implements ExecutionEvent {}

  /** The worker running an attempt died, expired or was removed; the job goes back to the queue at once. */
  record AttemptLost(String jobId, String attemptId, String reason, long at) implements ExecutionEvent {}

  record JobsSkipped(List<String> jobIds, String becauseOf, long at) implements ExecutionEvent {}

  record Paused(long at, Principal by) implements ExecutionEvent {
    public Paused(long at) {
      this(at, null);
    }
  }

  record Resumed(long at, Principal by) implements ExecutionEvent {
    public Resumed(long at) {
      this(at, null);
    }
  }

  /** Every unfinished job was cancelled; running attempts were told to stop. */
  record Cancelled(List<String> jobIds, long at, Principal by) implements ExecutionEvent {
    public Cancelled(List<String> jobIds, long at) {
      this(jobIds, at, null);
    }
  }

  /**
   * One job was cancelled (a queue job's cancel, a drain) from whatever unsettled status it had; {@code attemptId} is
   * the attempt it held (null when waiting or retrying). The rest of the execution goes on.
   */
  record JobCancelled(String jobId, String attemptId, long at, Principal by) implements ExecutionEvent {
    public JobCancelled(String jobId, String attemptId, long at) {
      this(jobId, attemptId, at, null);
    }
  }

  /** Failed, skipped and cancelled jobs went back to waiting, with a fresh retry budget. */
  record Retried(List<String> jobIds, long at, Principal by) implements ExecutionEvent {
    public Retried(List<String> jobIds, long at) {
      this(jobIds, at, null);
    }
  }

  record CheckpointLinked(String checkpointId, long at) implements ExecutionEvent {}

  record Finished(ExecutionStatus status, long at) implements ExecutionEvent {}
}
