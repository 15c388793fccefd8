package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/** The outcome of a job's last finished attempt (API.md §3 {@code JobResult}). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record JobResult(String jobId, boolean success, JsonNode output, String error, String logs, Long startedAt,
    Long completedAt, String workerId, long executionTime, int attempt) implements CborSerializable {}
