package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Everything about one job of an execution (GET /execute/{id}/jobs/{jobId}). {@code blockedBy} says why a job that
 * is not running waits; the registry refines {@code capacity-full} for queued jobs.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobDetail(
    String executionId,
    String jobId,
    String type,
    JobStatus status,
    int priority,
    List<String> dependsOn,
    int attempts,
    int maxRetries,
    String currentAttemptId,
    String workerId,
    Long queuedAt,
    Long startedAt,
    Long completedAt,
    Long nextAttemptAt,
    Double progress,
    String error,
    String logs,
    JsonNode output,
    JsonNode lastCheckpoint,
    List<AttemptRecord> attemptHistory,
    String blockedBy,
    String pool) implements CborSerializable {

  public JobDetail withBlockedBy(String reason) {
    return new JobDetail(executionId, jobId, type, status, priority, dependsOn, attempts, maxRetries,
        currentAttemptId, workerId, queuedAt, startedAt, completedAt, nextAttemptAt, progress, error, logs, output,
        lastCheckpoint, attemptHistory, reason, pool);
  }
}
