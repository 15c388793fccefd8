package io.gantry.dag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void defaultDoublesFromFiveSecondsUpToFiveMinutes() {
    assertEquals(5_000, Backoff.DEFAULT.delayMs(1));
    assertEquals(10_000, Backoff.DEFAULT.delayMs(2));
    assertEquals(20_000, Backoff.DEFAULT.delayMs(3));
    assertEquals(160_000, Backoff.DEFAULT.delayMs(6));
    assertEquals(300_000, Backoff.DEFAULT.delayMs(7));
  }

  @Test
  void hugeFailureNumbersSaturateAtMaxInsteadOfOverflowing() {
    assertEquals(300_000, Backoff.DEFAULT.delayMs(Integer.MAX_VALUE));
    Backoff unbounded = new Backoff(1, 10.0, Long.MAX_VALUE);
    assertEquals(Long.MAX_VALUE, unbounded.delayMs(1_000));
  }

  @Test
  void failureNumberBelowOneCountsAsTheFirst() {
    assertEquals(5_000, Backoff.DEFAULT.delayMs(0));
  }

  @Test
  void multiplierOneKeepsTheDelayConstant() {
    Backoff constant = new Backoff(700, 1.0, 1_000);
    assertEquals(700, constant.delayMs(1));
    assertEquals(700, constant.delayMs(50));
  }
}
