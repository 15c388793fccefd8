package io.gantry.registry.cluster;

import io.gantry.locks.Acquisition;
import io.gantry.locks.RedisLocks;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.redis.GantryRedis;
import io.lettuce.core.SetArgs;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What every pool's registry shares through Redis: the set of pools that exist, the queue's pause flag, and one
 * lock per concurrency key. A key's lock has the holding attempt's id as lock id and owner, so a registry that
 * restarts can extend the lock of an attempt it adopts back; {@code ckey-of:<attemptId>} names the key of such an
 * attempt (workers report attempt ids only) and expires with the lock. Stateless and thread-safe.
 */
public final class ClusterQueueStore {
  private final SharedRedisConnection<String> redis;
  private final RedisLocks keyLocks;
  private final String poolsKey;
  private final String pausedKey;
  private final String keyOfPrefix;

  public ClusterQueueStore(GantryRedis gantryRedis) {
    this.redis = gantryRedis.connection();
    String prefix = gantryRedis.prefix();
    // Apart from the locks of the HTTP API (prefix + "lock:"), so no API client can take or free a key.
    this.keyLocks = new RedisLocks(gantryRedis.connection(), prefix + "ckey:");
    this.poolsKey = prefix + "pools";
    this.pausedKey = prefix + "queue-paused";
    this.keyOfPrefix = prefix + "ckey-of:";
  }

  // ---- pools and pause

  public CompletionStage<Void> addPool(String pool) {
    return redis.run("SADD " + poolsKey, r -> r.sadd(poolsKey, pool)).thenApply(n -> null);
  }

  public CompletionStage<Set<String>> pools() {
    return redis.run("SMEMBERS " + poolsKey, r -> r.smembers(poolsKey));
  }

  public CompletionStage<Boolean> paused() {
    return redis.run("GET " + pausedKey, r -> r.get(pausedKey)).thenApply(v -> v != null);
  }

  public CompletionStage<Void> setPaused(boolean paused) {
    CompletionStage<?> write = paused
        ? redis.run("SET " + pausedKey, r -> r.set(pausedKey, "1"))
        : redis.run("DEL " + pausedKey, r -> r.del(pausedKey));
    return write.thenApply(v -> null);
  }

  // ---- concurrency keys

  /** Takes {@code key} for {@code attemptId}; true when it holds it now (also when it already did). */
  public CompletionStage<Boolean> acquireKey(String key, String attemptId, long ttlMs) {
    String keyOf = keyOfPrefix + attemptId;
    return redis.run("SET " + keyOf, r -> r.set(keyOf, key, SetArgs.Builder.px(ttlMs)))
        .thenCompose(ok -> keyLocks.acquire(key, attemptId, attemptId, ttlMs))
        .thenCompose(a -> a.granted() ? CompletableFuture.completedFuture(true)
            : ownLock(a, attemptId) ? keyLocks.extend(key, attemptId, ttlMs).thenApply(l -> l.isPresent())
            : CompletableFuture.completedFuture(false))
        .thenCompose(held -> held ? CompletableFuture.completedFuture(true)
            : redis.run("DEL " + keyOf, r -> r.del(keyOf)).thenApply(n -> false));
  }

  /** Keeps {@code attemptId}'s hold of {@code key}; takes it again if it lapsed and is free. True when held. */
  public CompletionStage<Boolean> renewKey(String key, String attemptId, long ttlMs) {
    return keyLocks.extend(key, attemptId, ttlMs).thenCompose(l -> l.isPresent()
        ? redis.run("PEXPIRE " + keyOfPrefix + attemptId, r -> r.pexpire(keyOfPrefix + attemptId, ttlMs))
            .thenApply(b -> true)
        : acquireKey(key, attemptId, ttlMs));
  }

  public CompletionStage<Void> releaseKey(String key, String attemptId) {
    String keyOf = keyOfPrefix + attemptId;
    return keyLocks.release(key, attemptId).thenCompose(b -> redis.run("DEL " + keyOf, r -> r.del(keyOf)))
        .thenApply(n -> null);
  }

  /** Whether nobody holds {@code key}'s lock. */
  public CompletionStage<Boolean> keyFree(String key) {
    return keyLocks.get(key).thenApply(l -> l.isEmpty());
  }

  /** The key an attempt took, if it took one whose record has not expired; null otherwise. */
  public CompletionStage<String> keyOf(String attemptId) {
    String keyOf = keyOfPrefix + attemptId;
    return redis.run("GET " + keyOf, r -> r.get(keyOf));
  }

  private static boolean ownLock(Acquisition a, String attemptId) {
    return a.lock() != null && attemptId.equals(a.lock().lockId());
  }
}
