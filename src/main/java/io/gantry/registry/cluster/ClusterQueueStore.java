package io.gantry.registry.cluster;

import io.gantry.locks.Acquisition;
import io.gantry.locks.RedisLocks;
import io.gantry.redis.GantryRedis;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
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
  private final RedisAsyncCommands<String, String> redis;
  private final RedisLocks keyLocks;
  private final String poolsKey;
  private final String pausedKey;
  private final String keyOfPrefix;

  public ClusterQueueStore(GantryRedis gantryRedis) {
    this.redis = gantryRedis.async();
    String prefix = gantryRedis.prefix();
    // Apart from the locks of the HTTP API (prefix + "lock:"), so no API client can take or free a key.
    this.keyLocks = new RedisLocks(gantryRedis.connection(), prefix + "ckey:");
    this.poolsKey = prefix + "pools";
    this.pausedKey = prefix + "queue-paused";
    this.keyOfPrefix = prefix + "ckey-of:";
  }

  // ---- pools and pause

  public CompletionStage<Void> addPool(String pool) {
    return redis.sadd(poolsKey, pool).thenApply(n -> null);
  }

  public CompletionStage<Set<String>> pools() {
    return redis.smembers(poolsKey);
  }

  public CompletionStage<Boolean> paused() {
    return redis.get(pausedKey).thenApply(v -> v != null);
  }

  public CompletionStage<Void> setPaused(boolean paused) {
    CompletionStage<?> write = paused ? redis.set(pausedKey, "1") : redis.del(pausedKey);
    return write.thenApply(v -> null);
  }

  // ---- concurrency keys

  /** Takes {@code key} for {@code attemptId}; true when it holds it now (also when it already did). */
  public CompletionStage<Boolean> acquireKey(String key, String attemptId, long ttlMs) {
    return redis.set(keyOfPrefix + attemptId, key, SetArgs.Builder.px(ttlMs))
        .thenCompose(ok -> keyLocks.acquire(key, attemptId, attemptId, ttlMs))
        .thenCompose(a -> a.granted() ? CompletableFuture.completedFuture(true)
            : ownLock(a, attemptId) ? keyLocks.extend(key, attemptId, ttlMs).thenApply(l -> l.isPresent())
            : CompletableFuture.completedFuture(false))
        .thenCompose(held -> held ? CompletableFuture.completedFuture(true)
            : redis.del(keyOfPrefix + attemptId).thenApply(n -> false));
  }

  /** Keeps {@code attemptId}'s hold of {@code key}; takes it again if it lapsed and is free. True when held. */
  public CompletionStage<Boolean> renewKey(String key, String attemptId, long ttlMs) {
    return keyLocks.extend(key, attemptId, ttlMs).thenCompose(l -> l.isPresent()
        ? redis.pexpire(keyOfPrefix + attemptId, ttlMs).thenApply(b -> true)
        : acquireKey(key, attemptId, ttlMs));
  }

  public CompletionStage<Void> releaseKey(String key, String attemptId) {
    return keyLocks.release(key, attemptId).thenCompose(b -> redis.del(keyOfPrefix + attemptId)).thenApply(n -> null);
  }

  /** Whether nobody holds {@code key}'s lock. */
  public CompletionStage<Boolean> keyFree(String key) {
    return keyLocks.get(key).thenApply(l -> l.isEmpty());
  }

  /** The key an attempt took, if it took one whose record has not expired; null otherwise. */
  public CompletionStage<String> keyOf(String attemptId) {
    return redis.get(keyOfPrefix + attemptId);
  }

  private static boolean ownLock(Acquisition a, String attemptId) {
    return a.lock() != null && attemptId.equals(a.lock().lockId());
  }
}
