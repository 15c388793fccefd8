package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** An execution as the API shows it (API.md §3 {@code ExecutionState}); times are epoch milliseconds. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExecutionState(
    String executionId,
    String workflowId,
    ExecutionStatus status,
    Long createdAt,
    Long startedAt,
    Long completedAt,
    List<String> currentJobs,
    List<String> completedJobs,
    List<String> failedJobs,
    Map<String, JobState> jobs,
    Map<String, JobResult> jobResults,
    String checkpointId,
    JsonNode metadata) implements CborSerializable {

  /** One job's entry in {@link ExecutionState#jobs()}; {@code dependsOn} as submitted, so the DAG can be drawn. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record JobState(JobStatus status, int attempts, String workerId, Long startedAt, Long completedAt,
      Long nextAttemptAt, String error, Double progress, List<String> dependsOn) implements CborSerializable {}
}
