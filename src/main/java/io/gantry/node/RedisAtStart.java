package io.gantry.node;

import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.client.SharedRedisClient;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
          misconfigured(settings, e).ifPresent(why -> {
            throw new IllegalArgumentException(why);
          });
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

  /**
   * A refused password or an untrusted certificate does not heal by waiting: the node stops at once (exit 2) with
   * what to set. Redis's reply code is named, never the password.
   */
  static Optional<String> misconfigured(ConnectionSettings settings, Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String message = String.valueOf(t.getMessage());
      for (String refusal : AUTH_REFUSALS) {
        if (message.contains(refusal)) {
          return Optional.of("Redis at " + settings.address() + " refused the password (" + refusal.trim()
              + "): set Redis's requirepass as gantry.redis.password (GANTRY_REDIS_PASSWORD) or in "
              + "gantry.redis.url (redis://:PASSWORD@host:port/db)");
        }
      }
      if (t instanceof CertificateException || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException) {
        return Optional.of("Redis at " + settings.address() + " presented a certificate this node does not trust ("
            + message + "): set gantry.redis.ca-file (GANTRY_REDIS_CA_FILE) to the PEM file of the CA that "
            + "signed it");
      }
    }
    return Optional.empty();
  }

  /** Redis's replies to a missing or wrong password (AUTH, HELLO or the first command). */
  private static final List<String> AUTH_REFUSALS = List.of("WRONGPASS", "NOAUTH", "invalid password",
      "called without any password configured");

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
