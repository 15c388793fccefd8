package io.gantry.locks;

import io.gantry.persistence.redis.client.LuaScript;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Distributed locks in Redis, one Lua script per operation. A lock expires by itself after its TTL; only the
 * holder (who knows the lock id) may extend or release it. Each grant carries a fencing token that strictly
 * increases per resource, so a resource can reject writes from a holder whose lock has since expired.
 *
 * <p>Invalid arguments fail the returned stage with {@link IllegalArgumentException}.
 */
public final class RedisLocks {
  public static final long MAX_TTL_MS = 86_400_000L;
  private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9._:/-]{1,200}");
  private static final int MAX_OWNER = 200;

  private static final LuaScript ACQUIRE = LuaScript.of("lock-acquire", LockScripts.ACQUIRE);
  private static final LuaScript EXTEND = LuaScript.of("lock-extend", LockScripts.EXTEND);
  private static final LuaScript RELEASE = LuaScript.of("lock-release", LockScripts.RELEASE);
  private static final LuaScript GET = LuaScript.of("lock-get", LockScripts.GET);

  private final SharedRedisConnection<String> redis;
  private final String keyPrefix;

  /** {@code keyPrefix}: prepended to every key, e.g. "gantry:". */
  public RedisLocks(SharedRedisConnection<String> redis, String keyPrefix) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
  }

  /** Grants the lock for {@code ttlMs} unless someone holds it; then the answer names the holder. */
  public CompletionStage<Acquisition> acquire(String resource, String owner, long ttlMs) {
    return acquire(resource, UUID.randomUUID().toString(), owner, ttlMs);
  }

  /**
   * As {@link #acquire(String, String, long)} under a lock id the caller chooses (unique per holder, e.g. the id of
   * the attempt that holds it), so that a holder that lost the answer (a restart) can still extend or release it.
   * When {@code lockId} already holds the lock the answer is not granted and names that same lock id.
   */
  public CompletionStage<Acquisition> acquire(String resource, String lockId, String owner, long ttlMs) {
    try {
      checkResource(resource);
      checkLockId(lockId);
      checkOwner(owner);
      checkDuration("ttlMs", ttlMs);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return redis.<List<Object>>eval(ACQUIRE, ScriptOutputType.MULTI, keys(resource), lockId, owner, Long.toString(ttlMs))
        .thenApply(r -> new Acquisition("granted".equals(r.get(0)), toLock(resource, r)));
  }

  /** Makes the lock expire {@code extensionMs} from now; empty when {@code lockId} no longer holds it. */
  public CompletionStage<Optional<LockInfo>> extend(String resource, String lockId, long extensionMs) {
    try {
      checkResource(resource);
      checkLockId(lockId);
      checkDuration("extensionMs", extensionMs);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return redis.<List<Object>>eval(EXTEND, ScriptOutputType.MULTI, keys(resource), lockId, Long.toString(extensionMs))
        .thenApply(r -> r.isEmpty() ? Optional.empty() : Optional.of(toLock(resource, r)));
  }

  /** Releases the lock if {@code lockId} holds it; false otherwise (expired, released, or someone else's). */
  public CompletionStage<Boolean> release(String resource, String lockId) {
    try {
      checkResource(resource);
      checkLockId(lockId);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return redis.<Long>eval(RELEASE, ScriptOutputType.INTEGER, keys(resource), lockId).thenApply(n -> n == 1L);
  }

  /** The current holder, if any. */
  public CompletionStage<Optional<LockInfo>> get(String resource) {
    try {
      checkResource(resource);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return redis.<List<Object>>eval(GET, ScriptOutputType.MULTI, keys(resource))
        .thenApply(r -> r.isEmpty() ? Optional.empty() : Optional.of(toLock(resource, r)));
  }

  private String[] keys(String resource) {
    return new String[] {keyPrefix + "lock:" + resource, keyPrefix + "lock-fencing:" + resource};
  }

  private static LockInfo toLock(String resource, List<Object> r) {
    return new LockInfo(str(r.get(1)), str(r.get(2)), Long.parseLong(str(r.get(3))), Long.parseLong(str(r.get(4))),
        resource, Long.parseLong(str(r.get(5))));
  }

  private static String str(Object o) {
    return String.valueOf(o);
  }

  private static void checkResource(String resource) {
    if (resource == null || !RESOURCE.matcher(resource).matches()) {
      throw new IllegalArgumentException("resource must be 1-200 characters of A-Z a-z 0-9 . _ : / -, not '"
          + resource + "'");
    }
  }

  private static void checkOwner(String owner) {
    if (owner == null || owner.isBlank() || owner.length() > MAX_OWNER) {
      throw new IllegalArgumentException("owner is required (1-" + MAX_OWNER + " characters)");
    }
  }

  private static void checkLockId(String lockId) {
    if (lockId == null || lockId.isBlank()) {
      throw new IllegalArgumentException("lockId is required");
    }
  }

  private static void checkDuration(String name, long ms) {
    if (ms < 1 || ms > MAX_TTL_MS) {
      throw new IllegalArgumentException(name + " must be between 1 and " + MAX_TTL_MS + " ms, not " + ms);
    }
  }
}
