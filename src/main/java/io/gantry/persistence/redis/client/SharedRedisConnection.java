package io.gantry.persistence.redis.client;

import io.lettuce.core.ConnectionFuture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.resource.ClientResources;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * One Lettuce connection, shared by every user of an ActorSystem with the same settings and value
 * codec: the journal, snapshot store and read journal (bytes), and an application's own commands
 * (strings). Lettuce pipelines the commands of all callers on it; nothing here blocks. Failures come
 * back naming the Redis address and the operation. Get one from {@link RedisConnections}.
 */
public final class SharedRedisConnection<V> {
  private final RedisCodec<String, V> codec;
  private final ConnectionSettings settings;
  private final String address;
  private final ClientResources resources;
  private final RedisClient client;
  /** Run once, when the first connection is up (the client's health check). */
  private final Runnable onFirstConnect;
  /** The connection once up and every command issued while connecting was sent; null until then. Guarded by this. */
  private StatefulRedisConnection<String, V> ready;
  /** Commands issued while no connection is up, oldest first. Guarded by this. */
  private final ArrayDeque<Waiting<V, ?>> waiting = new ArrayDeque<>();
  /** A connect is under way; guarded by this. */
  private boolean connecting;
  private boolean startupChecked;
  private boolean closed;

  /** A command issued while connecting, and the future its caller holds. */
  private record Waiting<V, T>(
      Function<RedisAsyncCommands<String, V>, RedisFuture<T>> command, CompletableFuture<T> result) {

    void send(RedisAsyncCommands<String, V> redis) {
      try {
        command.apply(redis).whenComplete((value, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(value);
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
  }

  SharedRedisConnection(SharedRedisClient shared, RedisCodec<String, V> codec, Runnable onFirstConnect) {
    this.codec = codec;
    this.settings = shared.settings();
    this.address = settings.address();
    this.resources = shared.resources();
    this.client = shared.client();
    this.onFirstConnect = onFirstConnect;
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
      String operation, Function<RedisAsyncCommands<String, V>, RedisFuture<T>> command) {
    CompletionStage<T> result;
    boolean connect = false;
    synchronized (this) {
      if (ready != null) {
        // Handed to Lettuce under the lock, so that commands are queued there in issue order.
        result = command.apply(ready.async());
      } else if (closed) {
        result = CompletableFuture.failedFuture(new IllegalStateException("the connection is closed"));
      } else {
        CompletableFuture<T> later = new CompletableFuture<>();
        waiting.add(new Waiting<V, T>(command, later));
        result = later;
        connect = !connecting;
        connecting = true;
      }
    }
    if (connect) {
      connect();
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
   * Makes the connection; Lettuce reconnects an established connection by itself, but not a first
   * connect that failed, so a failed one is made again by the next command. Started on Lettuce's
   * executor: the first connect also starts Netty (seconds on a busy machine), and the caller may be
   * an actor or hold a lock of its own (the journal's batcher). Called without the lock.
   */
  private void connect() {
    CompletableFuture<ConnectionFuture<StatefulRedisConnection<String, V>>> started;
    try {
      started = CompletableFuture.supplyAsync(
          () -> client.connectAsync(codec, settings.redisUri()), resources.eventExecutorGroup());
    } catch (RejectedExecutionException closing) {
      failWaiting(closing);
      return;
    }
    started
        .thenCompose(attempt -> attempt)
        .whenComplete((connection, error) -> {
          if (error != null) {
            failWaiting(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
          } else {
            sendWaiting(connection);
          }
        });
  }

  /**
   * Sends the commands that waited for the connection, oldest first, in one loop (never a stack frame
   * per command), batch by batch until none is left; only then is the connection handed to new
   * callers, so that no command overtakes one issued before it. Nobody else uses the connection
   * meanwhile, so the commands of a batch are flushed to the socket together.
   */
  private void sendWaiting(StatefulRedisConnection<String, V> connection) {
    RedisAsyncCommands<String, V> redis = connection.async();
    boolean check;
    connection.setAutoFlushCommands(false);
    while (true) {
      List<Waiting<V, ?>> batch;
      synchronized (this) {
        if (waiting.isEmpty()) {
          connection.setAutoFlushCommands(true);
          if (closed) {
            connection.closeAsync();
          } else {
            ready = connection;
          }
          connecting = false;
          check = !startupChecked;
          startupChecked = true;
          break;
        }
        batch = new ArrayList<>(waiting);
        waiting.clear();
      }
      batch.forEach(w -> w.send(redis));
      connection.flushCommands();
    }
    if (check) {
      onFirstConnect.run();
    }
  }

  /** Fails every command that waited for a connect that failed, oldest first, outside the lock. */
  private void failWaiting(Throwable error) {
    List<Waiting<V, ?>> failed;
    synchronized (this) {
      failed = new ArrayList<>(waiting);
      waiting.clear();
      connecting = false;
    }
    failed.forEach(w -> w.result().completeExceptionally(error));
  }

  /**
   * EVALSHA, falling back to EVAL (which also caches the script) when Redis does not know it yet: the
   * one script runner of the plugin and the application. A call retried so may run after a later call
   * of the same caller; callers whose scripts depend on order use EVAL (see the journal's writes).
   */
  @SafeVarargs
  public final <T> CompletionStage<T> eval(LuaScript script, ScriptOutputType type, String[] keys, V... args) {
    return eval(script, type, "script " + script.name() + " on " + keys[0], keys, args);
  }

  /** As above; {@code operation} names the call in the error if it fails. */
  @SafeVarargs
  public final <T> CompletionStage<T> eval(
      LuaScript script, ScriptOutputType type, String operation, String[] keys, V... args) {
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

  private RedisPersistenceException failure(String operation, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RedisPersistenceException known) {
      return known;
    }
    return new RedisPersistenceException(
        "Redis at " + address + ": " + operation + " failed: " + cause.getMessage(), cause);
  }

  /**
   * Refuses new commands and fails those still waiting for a connection; the open connection itself
   * is closed with its client ({@link SharedRedisClient#close()}).
   */
  void close() {
    synchronized (this) {
      closed = true;
      ready = null;
    }
    failWaiting(new IllegalStateException("the connection is closed"));
  }
}
