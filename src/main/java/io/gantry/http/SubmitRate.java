package io.gantry.http;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client token buckets of {@code gantry.http.submit-rate-limit}: {@code rate} submits per second, up to
 * {@code burst} at once. Thread-safe; buckets that have refilled are forgotten once there are many clients, so
 * the map stays bounded by the clients active within about {@code burst / rate} seconds.
 */
final class SubmitRate {
  private static final int PRUNE_ABOVE = 10_000;

  private final double rate;
  private final int burst;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  SubmitRate(double rate, int burst) {
    this.rate = rate;
    this.burst = burst;
  }

  boolean enabled() {
    return rate > 0;
  }

  /** 0 when {@code client} may submit now (a token is taken), else the seconds until it may (at least 1). */
  long take(String client, long nowNanos) {
    if (buckets.size() > PRUNE_ABOVE) {
      buckets.values().removeIf(b -> b.full(nowNanos));
    }
    return buckets.computeIfAbsent(client, c -> new Bucket(burst, nowNanos)).take(nowNanos);
  }

  private final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized long take(long now) {
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / rate));
    }

    synchronized boolean full(long now) {
      refill(now);
      return tokens >= burst;
    }

    private void refill(long now) {
      tokens = Math.min(burst, tokens + (now - at) / 1e9 * rate);
      at = now;
    }
  }
}
