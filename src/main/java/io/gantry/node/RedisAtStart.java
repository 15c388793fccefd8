package io.gantry.node;

import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.client.SharedRedisClient;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node starts only once its Redis answers: every part of it keeps state there, and the Redis clients reconnect by
 * themselves after an outage but cannot start without a first connection. Until then the node waits and says so,
 * instead of dying, so that a node and its Redis can be started in any order.
 */
final class RedisAtStart {
  private static final Logger log = LoggerFactory.getLogger(RedisAtStart.class);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private RedisAtStart() {}

  /** {@code settings}: Gantry's Redis ({@code gantry.redis}); probed on the same client code as the node uses. */
  static void await(ConnectionSettings settings) {
    try (SharedRedisClient client = new SharedRedisClient(settings)) {
      boolean warned = false;
      // Connect and command timeouts come from the settings; this only bounds the wait for their failure.
      long bound = settings.connectTimeout().plus(settings.commandTimeout()).toMillis() + 1_000;
      while (true) {
        try {
          client.strings().run("PING", r -> r.ping()).toCompletableFuture().get(bound, TimeUnit.MILLISECONDS);
          if (warned) {
            log.info("Redis at {} answers; starting", settings.address());
          }
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (!warned) {
            log.warn("Redis at {} is not reachable ({}); the node starts when it is, retrying every {} s",
                settings.address(), rootMessage(e), RETRY.toSeconds());
            warned = true;
          }
          sleep();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for Redis", e);
        }
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
