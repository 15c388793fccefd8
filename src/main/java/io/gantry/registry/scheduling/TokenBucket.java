package io.gantry.registry.scheduling;

/** Dispatch rate limit: {@code rate} tokens per second, burst max(1, rate); rate 0 means unlimited. */
final class TokenBucket {
  /** Absorbs floating-point error so a wake-up at the computed delay really finds a token. */
  private static final double EPSILON = 1e-9;

  private final double ratePerSecond;
  private final double capacity;
  private double tokens;
  private long refilledAtMs;
  private boolean started;

  TokenBucket(double ratePerSecond) {
    this.ratePerSecond = Math.max(0, ratePerSecond);
    this.capacity = Math.max(1, this.ratePerSecond);
    this.tokens = capacity;
  }

  boolean limited() {
    return ratePerSecond > 0;
  }

  void refill(long nowMs) {
    tokens = tokensAt(nowMs);
    if (!started || nowMs > refilledAtMs) {
      refilledAtMs = nowMs;
      started = true;
    }
  }

  /** Tokens available at {@code nowMs}, without consuming or refilling. */
  double tokensAt(long nowMs) {
    if (!started || nowMs <= refilledAtMs) {
      return tokens;
    }
    return Math.min(capacity, tokens + (nowMs - refilledAtMs) * ratePerSecond / 1000.0);
  }

  boolean hasToken() {
    return !limited() || tokens >= 1 - EPSILON;
  }

  boolean hasTokenAt(long nowMs) {
    return !limited() || tokensAt(nowMs) >= 1 - EPSILON;
  }

  void take() {
    if (limited()) {
      tokens -= 1;
    }
  }

  /** Milliseconds until one token is available (0 if one is now). */
  long delayUntilTokenMs(long nowMs) {
    double missing = 1 - tokensAt(nowMs);
    if (!limited() || missing <= EPSILON) {
      return 0;
    }
    return (long) Math.ceil(missing * 1000.0 / ratePerSecond);
  }
}
