package io.gantry.node;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
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

  static void await(String url) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(Duration.ofSeconds(5));
    RedisClient client = RedisClient.create(uri);
    try {
      boolean warned = false;
      while (true) {
        try (var connection = client.connect()) {
          connection.sync().ping();
          if (warned) {
            log.info("Redis at {}:{} answers; starting", uri.getHost(), uri.getPort());
          }
          return;
        } catch (RuntimeException e) {
          if (!warned) {
            log.warn("Redis at {}:{} is not reachable ({}); the node starts when it is, retrying every {} s",
                uri.getHost(), uri.getPort(), rootMessage(e), RETRY.toSeconds());
            warned = true;
          }
          sleep();
        }
      }
    } finally {
      client.shutdown();
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
