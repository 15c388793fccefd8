package io.gantry.api;

import io.gantry.protocol.ExecutionStatus;

/** The answer to {@code POST /execute/distributed} (202, or 200 when an identical submit had created it). */
public record ExecutionAccepted(String executionId, String workflowId, ExecutionStatus status, String statusUrl) {
}
