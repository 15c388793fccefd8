package io.gantry.protocol;


/** The answer to a submit: {@code created} is false when an identical submit had already created it. */
public record SubmitAccepted(String executionId, String workflowId, ExecutionStatus status, boolean created)
    implements CborSerializable {}
