package io.gantry.registry.cluster;

import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.redis.GantryRedis;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pool each HTTP worker joined, so that any API node routes its requests to that pool's registry: the hash
 * {@code <prefix>http-workers} (worker id to pool) and the set {@code <prefix>http-worker-pools}, cached here
 * (a worker's pool changes only when it registers again). Cluster workers are not recorded: they talk to their
 * registry directly. Stages fail with the connection's own error (naming the address) when Redis does not
 * answer. Thread-safe.
 */
public final class HttpWorkerPools {
  private final SharedRedisConnection<String> redis;
  private final String poolsKey;
  private final String poolNamesKey;
  private final Map<String, String> cache = new ConcurrentHashMap<>();

  public HttpWorkerPools(GantryRedis gantryRedis) {
    this.redis = gantryRedis.connection();
    this.poolsKey = gantryRedis.prefix() + "http-workers";
    this.poolNamesKey = gantryRedis.prefix() + "http-worker-pools";
  }

  /** The pool {@code workerId} last registered in, or null when none is recorded. */
  public CompletionStage<String> poolOf(String workerId) {
    String cached = cache.get(workerId);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return redis.run("HGET " + poolsKey, r -> r.hget(poolsKey, workerId)).thenApply(pool -> {
      if (pool != null) {
        cache.put(workerId, pool);
      }
      return pool;
    });
  }

  /** Records that {@code workerId} joined {@code pool}. */
  public CompletionStage<Void> remember(String workerId, String pool) {
    CompletionStage<Long> names = redis.run("SADD " + poolNamesKey, r -> r.sadd(poolNamesKey, pool));
    return redis.run("HSET " + poolsKey, r -> r.hset(poolsKey, workerId, pool)).thenCombine(names, (a, b) -> {
      cache.put(workerId, pool);
      return (Void) null;
    });
  }

  /** Forgets {@code workerId} (it deregistered); a failure to reach Redis is left to the next registration. */
  public CompletionStage<Void> forget(String workerId) {
    cache.remove(workerId);
    return redis.run("HDEL " + poolsKey, r -> r.hdel(poolsKey, workerId)).handle((n, e) -> null);
  }

  /** The pools of the HTTP workers this node has seen. */
  public Collection<String> seenPools() {
    return List.copyOf(cache.values());
  }

  /** host:port of Redis, for error messages. */
  public String redisAddress() {
    return redis.address();
  }
}
