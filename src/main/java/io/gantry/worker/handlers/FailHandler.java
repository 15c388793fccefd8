package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.worker.JobContext;
import io.gantry.worker.JobHandler;
import io.gantry.worker.JobOutcome;

/**
 * Fails the first {@code config.times} attempts (every attempt when absent) with {@code config.message},
 * then succeeds with {@code config.output} or {@code {"attempt": n}}: for trying retries and failure paths.
 */
final class FailHandler implements JobHandler {

  @Override
  public JobOutcome run(JobContext context) {
    JsonNode config = context.config();
    JsonNode times = config.get("times");
    boolean failsAlways = times == null || times.isNull();
    if (failsAlways || context.attempt() <= times.asLong()) {
      JsonNode message = config.get("message");
      return JobOutcome.failed(
          message != null && message.isTextual()
              ? message.textValue()
              : "fail job: attempt " + context.attempt() + " of the planned failures");
    }
    return JobOutcome.succeeded(
        BuiltInHandlers.configuredOutputOr(
            config, () -> JsonNodeFactory.instance.objectNode().put("attempt", context.attempt())));
  }
}
