package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.worker.JobContext;
import io.gantry.worker.JobHandler;
import io.gantry.worker.JobOutcome;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Succeeds after {@code config.ms} with {@code config.output} or {@code {"sleptMs": ms}}; a cancel ends it at once. */
final class SleepHandler implements JobHandler {

  @Override
  public JobOutcome run(JobContext context) throws InterruptedException {
    JsonNode msNode = context.config().get("ms");
    if (msNode == null || !msNode.isNumber() || msNode.asLong() < 0) {
      throw new IllegalArgumentException("a sleep job needs config.ms, a non-negative integer");
    }
    long ms = msNode.asLong();
    CountDownLatch cancelled = new CountDownLatch(1);
    context.onCancel(cancelled::countDown);
    if (cancelled.await(ms, TimeUnit.MILLISECONDS)) {
      return JobOutcome.failed("cancelled");
    }
    return JobOutcome.succeeded(
        BuiltInHandlers.configuredOutputOr(
            context.config(), () -> JsonNodeFactory.instance.objectNode().set("sleptMs", msNode)));
  }
}
