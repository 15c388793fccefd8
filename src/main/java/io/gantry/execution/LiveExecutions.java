package io.gantry.execution;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the index's set of unfinished executions and hands each id to a callback, retrying with backoff until the
 * read succeeds: a node or registry that starts during a Redis outage must still reach every live execution.
 */
final class LiveExecutions {
  private static final Logger log = LoggerFactory.getLogger(LiveExecutions.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_RETRY = Duration.ofSeconds(10);

  private LiveExecutions() {}

  /** Calls {@code each} with every live execution id once the read succeeds; {@code what} names it in logs. */
  static void forEach(ActorSystem<?> system, ExecutionIndex index, String what, Consumer<List<String>> each) {
    attempt(system, index, what, each, FIRST_RETRY);
  }

  private static void attempt(ActorSystem<?> system, ExecutionIndex index, String what, Consumer<List<String>> each,
      Duration delay) {
    index.liveExecutions().whenComplete((ids, error) -> {
      if (error == null) {
        each.accept(ids);
        return;
      }
      log.warn("could not list unfinished executions in Redis to {} ({}); trying again in {} ms", what,
          error.getMessage(), delay.toMillis());
      Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : delay.multipliedBy(2);
      try {
        system.scheduler().scheduleOnce(delay, () -> attempt(system, index, what, each, next),
            system.executionContext());
      } catch (IllegalStateException terminated) {
        // the system is shutting down: nothing left to wake
      }
    });
  }
}
