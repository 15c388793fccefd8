package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.typesafe.config.Config;
import io.gantry.locks.LockInfo;
import io.gantry.locks.RedisLocks;
import io.gantry.protocol.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The /locks endpoints of API.md §3. A resource name may contain '/', sent as %2F within its path segment.
 */
final class LockRoutes implements RouteProvider {

  /** Body of POST /locks/{resource}; {@code ttlMs} defaults to the configured TTL. */
  record AcquireRequest(String owner, Long ttlMs) {
  }

  /** Body of POST /locks/{resource}/{lockId}/extend. */
  record ExtendRequest(Long extensionMs) {
  }

  record Released(String resource, String lockId, boolean released) {
  }

  private final RedisLocks locks;
  private final JsonSupport json;
  private final long defaultTtlMs;

  public LockRoutes(RedisLocks locks, JsonSupport json, long defaultTtlMs) {
    this.locks = locks;
    this.json = json;
    this.defaultTtlMs = defaultTtlMs;
  }

  /** Default TTL from {@code gantry.locks.default-ttl}. */
  static LockRoutes fromConfig(RedisLocks locks, JsonSupport json, Config config) {
    return new LockRoutes(locks, json, config.getDuration("gantry.locks.default-ttl").toMillis());
  }

  @Override
  public Route route() {
    return pathPrefix("locks", () -> pathPrefix(segment(), resource -> concat(
        pathEnd(() -> concat(
            post(() -> json.entity(AcquireRequest.class, body -> acquire(resource, body))),
            get(() -> onSuccess(validated(locks.get(resource)), lock -> lock
                .map(json::ok)
                .orElseThrow(() -> ApiException.of(ErrorCode.LOCK_NOT_FOUND, "nobody holds a lock on " + resource)))))),
        path(segment(), lockId -> delete(() -> onSuccess(validated(locks.release(resource, lockId)), released -> {
          if (!released) {
            throw new ApiException(ErrorCode.NOT_LOCK_HOLDER, "lock " + lockId + " does not hold " + resource
                + " (expired, released, or never granted)", List.of());
          }
          return json.ok(new Released(resource, lockId, true));
        }))),
        path(segment().slash("extend"), lockId -> post(() -> json.entity(ExtendRequest.class,
            body -> extend(resource, lockId, body)))))));
  }

  private Route acquire(String resource, AcquireRequest body) {
    long ttl = body.ttlMs() != null ? body.ttlMs() : defaultTtlMs;
    return onSuccess(validated(locks.acquire(resource, body.owner(), ttl)), acquisition -> {
      if (!acquisition.granted()) {
        LockInfo holder = acquisition.lock();
        throw new ApiException(ErrorCode.LOCK_HELD, resource + " is held by " + holder.owner() + " until "
            + Instant.ofEpochMilli(holder.expiresAt()), List.of(Map.of(
                "owner", holder.owner(),
                "acquiredAt", holder.acquiredAt(),
                "expiresAt", holder.expiresAt(),
                "expiresInMs", Math.max(0, holder.expiresAt() - System.currentTimeMillis()),
                "fencingToken", holder.fencingToken())));
      }
      return json.ok(acquisition.lock());
    });
  }

  private Route extend(String resource, String lockId, ExtendRequest body) {
    if (body.extensionMs() == null) {
      throw ApiException.of(ErrorCode.INVALID_LOCK_REQUEST, "extensionMs is required");
    }
    return onSuccess(validated(locks.extend(resource, lockId, body.extensionMs())), lock -> lock
        .map(json::ok)
        .orElseThrow(() -> new ApiException(ErrorCode.LOCK_NOT_HELD, "lock " + lockId + " no longer holds " + resource
            + " (expired or released); acquire it again", List.of())));
  }

  /** Argument errors from {@link RedisLocks} are the caller's: 400. */
  private static <T> CompletionStage<T> validated(CompletionStage<T> stage) {
    return stage.exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof IllegalArgumentException) {
        throw ApiException.of(ErrorCode.INVALID_LOCK_REQUEST, cause.getMessage());
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
    });
  }
}
