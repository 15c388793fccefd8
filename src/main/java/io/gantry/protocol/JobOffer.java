package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.dag.Requirements;
import java.util.List;

/**
 * One attempt of a job, offered by its Execution to the registry of the job's pool and handed on to a worker.
 * Everything a worker needs to run it travels with it, so the worker never asks the Execution.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobOffer(
    String attemptId,
    String executionId,
    String jobId,
    String type,
    int priority,
    List<String> requiredCapabilities,
    Requirements requirements,
    String concurrencyKey,
    String pool,
    long timeoutMs,
    JsonNode config,
    ObjectNode dependencyOutputs,
    int attempt,
    JsonNode lastCheckpoint,
    long enqueuedAt) implements CborSerializable {}
