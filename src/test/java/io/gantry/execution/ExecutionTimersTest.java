package io.gantry.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Found by HttpFuzzTest: a timeout or backoff of Long.MAX_VALUE ms (the document allows both) made the timer's
 * Duration overflow, crashing the Execution and then every recovery of it. Delays are bounded; later deadlines are
 * armed again when the bound passes (ExecutionEntityFlowTest covers the firing).
 */
class ExecutionTimersTest {

  @Test
  void aDelayIsBetweenZeroAndTheLongestTimerPekkoTakes() {
    long now = System.currentTimeMillis();
    assertEquals(Duration.ZERO, ExecutionTimers.delayUntil(now - 1_000));
    assertEquals(Duration.ZERO, ExecutionTimers.delayUntil(Long.MIN_VALUE));
    assertEquals(Duration.ofMillis(ExecutionTimers.MAX_DELAY_MS), ExecutionTimers.delayUntil(Long.MAX_VALUE));
    long in = ExecutionTimers.delayUntil(now + 60_000).toMillis();
    assertEquals(60_000, in, 1_000);
    // what Pekko's timers compute from it must not overflow
    ExecutionTimers.delayUntil(Long.MAX_VALUE).toNanos();
  }
}
