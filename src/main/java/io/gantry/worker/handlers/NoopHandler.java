package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.worker.JobContext;
import io.gantry.worker.JobHandler;
import io.gantry.worker.JobOutcome;

/** Succeeds at once with {@code config.output}, or {@code {"inputs": dependencyOutputs}}. */
final class NoopHandler implements JobHandler {

  @Override
  public JobOutcome run(JobContext context) {
    return JobOutcome.succeeded(
        BuiltInHandlers.configuredOutputOr(
            context.config(), () -> JsonNodeFactory.instance.objectNode().set("inputs", context.dependencyOutputs())));
  }
}
