package io.gantry.persistence.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One Lettuce connection shared by every plugin part of an ActorSystem. Lettuce pipelines the
 * commands of all callers on it; nothing here blocks. Failures come back naming the Redis address.
 */
public final class SharedRedisConnection {
  private static final RedisCodec<String, byte[]> CODEC = StringKeyBytesCodec.INSTANCE;

  private final ConnectionSettings settings;
  private final String address;
  private final ClientResources resources;
  private final RedisClient client;
  private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, byte[]>>> connection =
      new AtomicReference<>();
  private final AtomicBoolean startupChecked = new AtomicBoolean();
  /** Sent when every command issued so far has been handed to Lettuce; see {@link #run}. Guarded by this. */
  private CompletableFuture<Void> queued = CompletableFuture.completedFuture(null);

  SharedRedisConnection(ConnectionSettings settings) {
    this.settings = settings;
    this.address = settings.address();
    // Lettuce's default reconnect backoff grows to 30 s; a shorter cap brings actors back sooner.
    this.resources =
        DefaultClientResources.builder()
            .reconnectDelay(() -> Delay.exponential(
                Duration.ofMillis(50), settings.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            // While Redis is away, fail at once instead of queueing until the command timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
            .timeoutOptions(TimeoutOptions.builder().fixedTimeout(settings.commandTimeout()).build())
            .build());
  }

  public String address() {
    return address;
  }

  /**
   * Runs one command; {@code operation} names it in the error if it fails. Commands reach Redis in
   * the order they were issued, also those issued while the connection is still being made: the
   * journal pipelines writes of one persistence id in separate calls and relies on that order.
   */
  public <T> CompletionStage<T> run(
      String operation, Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> conn = connected();
    CompletionStage<T> result;
    synchronized (this) {
      if (queued.isDone() && conn.isDone() && !conn.isCompletedExceptionally()) {
        result = command.apply(conn.getNow(null).async());
      } else {
        result = afterQueued(conn, command);
      }
    }
    return result.handle(
        (value, error) -> {
          if (error != null) {
            throw failure(operation, error);
          }
          return value;
        });
  }

  /**
   * Sends {@code command} once the connection is up and every command queued before it was sent.
   * Each waiting command depends on the one before, not all on the connection future: a
   * CompletableFuture runs its dependents in reverse order, which would reorder them. Caller holds
   * the lock.
   */
  private <T> CompletionStage<T> afterQueued(
      CompletableFuture<StatefulRedisConnection<String, byte[]>> conn,
      Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<Void> sent = new CompletableFuture<>();
    queued.whenComplete(
        (previousSent, ignored) ->
            conn.whenComplete(
                (ready, error) -> {
                  try {
                    if (error != null) {
                      result.completeExceptionally(error);
                    } else {
                      command.apply(ready.async()).whenComplete(
                          (value, failure) -> {
                            if (failure != null) {
                              result.completeExceptionally(failure);
                            } else {
                              result.complete(value);
                            }
                          });
                    }
                  } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                  } finally {
                    sent.complete(null);
                  }
                }));
    queued = sent;
    return result;
  }

  /** EVALSHA, falling back to EVAL (which also caches the script) when Redis does not know it yet. */
  public <T> CompletionStage<T> eval(LuaScript script, ScriptOutputType type, String[] keys, byte[]... args) {
    return eval(script, type, "script " + script.name() + " on " + keys[0], keys, args);
  }

  /** As above; {@code operation} names the call in the error if it fails. */
  public <T> CompletionStage<T> eval(
      LuaScript script, ScriptOutputType type, String operation, String[] keys, byte[]... args) {
    return run(operation, redis -> redis.<T>evalsha(script.sha1(), type, keys, args))
        .exceptionallyCompose(
            error ->
                causedByNoScript(error)
                    ? run(operation, redis -> redis.<T>eval(script.source(), type, keys, args))
                    : CompletableFuture.failedFuture(error));
  }

  private static boolean causedByNoScript(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof RedisNoScriptException) {
        return true;
      }
    }
    return false;
  }

  RedisPersistenceException failure(String operation, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RedisPersistenceException known) {
      return known;
    }
    return new RedisPersistenceException(
        "Redis at " + address + ": " + operation + " failed: " + cause.getMessage(), cause);
  }

  private CompletableFuture<StatefulRedisConnection<String, byte[]>> connected() {
    CompletableFuture<StatefulRedisConnection<String, byte[]>> current = connection.get();
    if (current != null && !current.isCompletedExceptionally()) {
      return current;
    }
    // Lettuce reconnects an established connection by itself, but not a first connect that failed.
    CompletableFuture<StatefulRedisConnection<String, byte[]>> fresh = new CompletableFuture<>();
    if (!connection.compareAndSet(current, fresh)) {
      return connected();
    }
    client
        .connectAsync(CODEC, settings.redisUri())
        .whenComplete(
            (conn, error) -> {
              if (error != null) {
                fresh.completeExceptionally(error);
              } else {
                fresh.complete(conn);
                if (startupChecked.compareAndSet(false, true)) {
                  RedisHealthCheck.logWarnings(this);
                }
              }
            });
    return fresh;
  }

  /** Closes the connection with the client. */
  void close() {
    client.shutdownAsync(0, 2, TimeUnit.SECONDS).whenComplete((done, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
  }
}
