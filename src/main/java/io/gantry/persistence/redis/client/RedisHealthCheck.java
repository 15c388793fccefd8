package io.gantry.persistence.redis.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that Redis keeps what it is given: no eviction, and AOF or RDB persistence on. CONFIG may be
 * disabled on managed Redis; then the answer is "unknown", not a failure.
 */
public final class RedisHealthCheck {
  private static final Logger log = LoggerFactory.getLogger(RedisHealthCheck.class);

  private RedisHealthCheck() {}

  public static <V> CompletionStage<RedisHealth> check(SharedRedisConnection<V> redis) {
    CompletionStage<Optional<String>> policy = configValue(redis, "maxmemory-policy");
    CompletionStage<Optional<String>> save = configValue(redis, "save");
    CompletionStage<Optional<Boolean>> aof =
        redis.run("INFO persistence", r -> r.info("persistence"))
            .thenApply(RedisHealthCheck::aofEnabled)
            .exceptionally(e -> Optional.empty());
    return redis.run("PING", r -> r.ping())
        .thenCompose(pong -> policy.thenCombine(save, (p, s) -> health(redis.address(), p, s)))
        .thenCombine(aof, (partial, aofOn) -> withAof(partial, aofOn))
        .exceptionally(e -> RedisHealth.unreachable(redis.address(), rootMessage(e)));
  }

  /** Logs the check's warnings loudly; run once when the first connection is up. */
  static <V> void logWarnings(SharedRedisConnection<V> redis) {
    check(redis)
        .thenAccept(
            health -> {
              health.warnings().forEach(w -> log.warn("REDIS MAY LOSE EXECUTION STATE: {}", w));
              if (health.maxmemoryPolicy().isEmpty()) {
                log.info("Redis at {}: CONFIG is not allowed, eviction policy and persistence unknown", redis.address());
              }
            });
  }

  private static <V> CompletionStage<Optional<String>> configValue(SharedRedisConnection<V> redis, String name) {
    return redis.run("CONFIG GET " + name, r -> r.configGet(name))
        .thenApply((Map<String, String> values) -> Optional.ofNullable(values.get(name)))
        .exceptionally(e -> Optional.empty());
  }

  private static RedisHealth health(String address, Optional<String> policy, Optional<String> save) {
    Optional<Boolean> rdb = save.map(points -> !points.isBlank());
    return new RedisHealth(address, true, policy, Optional.empty(), rdb, List.of());
  }

  private static RedisHealth withAof(RedisHealth partial, Optional<Boolean> aof) {
    List<String> warnings = new ArrayList<>();
    partial.maxmemoryPolicy()
        .filter(p -> !p.equals("noeviction"))
        .ifPresent(p -> warnings.add("maxmemory-policy is " + p + ", not noeviction: Redis at "
            + partial.address() + " may evict execution state when its memory is full"));
    if (aof.equals(Optional.of(false)) && partial.rdbEnabled().equals(Optional.of(false))) {
      warnings.add("neither AOF nor RDB persistence is on: a restart of Redis at "
          + partial.address() + " loses all execution state");
    }
    return new RedisHealth(partial.address(), true, partial.maxmemoryPolicy(), aof, partial.rdbEnabled(), warnings);
  }

  private static Optional<Boolean> aofEnabled(String info) {
    return info.lines()
        .filter(line -> line.startsWith("aof_enabled:"))
        .findFirst()
        .map(line -> line.substring("aof_enabled:".length()).trim().equals("1"));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
