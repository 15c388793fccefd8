package io.gantry.dag;

/**
 * Delay before a job's next attempt after a failure: {@code initialMs * multiplier^(n-1)}, capped at
 * {@code maxMs}.
 */
public record Backoff(long initialMs, double multiplier, long maxMs) {

  public static final Backoff DEFAULT = new Backoff(5_000, 2.0, 300_000);

  /** The delay after the {@code failureNumber}-th failure (1 for the first). */
  public long delayMs(int failureNumber) {
    int exponent = Math.max(failureNumber, 1) - 1;
    // In double arithmetic so a large exponent saturates instead of overflowing a long.
    double delay = initialMs * Math.pow(multiplier, exponent);
    if (Double.isNaN(delay) || delay >= maxMs) {
      return maxMs;
    }
    return (long) delay;
  }
}
