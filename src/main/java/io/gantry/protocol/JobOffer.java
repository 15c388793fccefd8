package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.dag.Requirements;
import java.util.List;

/**
 * One attempt of a job, offered by its Execution to the registry of the job's pool and handed on to a worker.
 * Everything a worker needs to run it travels with it, so the worker never asks the Execution.
 *
 * <p>An offer waits in its registry's queue for as long as the job is queued (100,000 of them on one node), so it
 * keeps nothing per offer that is the same for every offer: no capability names is the shared empty list, and an empty
 * config or no dependency outputs is no object at all (the accessors still answer an empty object).
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
    long enqueuedAt) implements CborSerializable {

  public JobOffer {
    requiredCapabilities = requiredCapabilities == null || requiredCapabilities.isEmpty()
        ? List.of() : List.copyOf(requiredCapabilities);
    config = config instanceof ObjectNode o && o.isEmpty() ? null : config;
    dependencyOutputs = dependencyOutputs == null || dependencyOutputs.isEmpty() ? null : dependencyOutputs;
  }

  /** The job's config; an empty object (a new one each time) when it has none. */
  @Override
  public JsonNode config() {
    return config == null ? JsonNodeFactory.instance.objectNode() : config;
  }

  /** The outputs of the job's dependencies by job id; an empty object (a new one each time) when it has none. */
  @Override
  public ObjectNode dependencyOutputs() {
    return dependencyOutputs == null ? JsonNodeFactory.instance.objectNode() : dependencyOutputs;
  }
}
