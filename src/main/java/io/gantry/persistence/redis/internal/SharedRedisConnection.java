package io.gantry.persistence.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.ConnectionFuture;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
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
  /** The connection once up and every command issued while connecting was sent; null until then. Guarded by this. */
  private StatefulRedisConnection<String, byte[]> ready;
  /** Commands issued while no connection is up, oldest first. Guarded by this. */
  private final ArrayDeque<Waiting<?>> waiting = new ArrayDeque<>();
  /** A connect is under way; guarded by this. */
  private boolean connecting;
  private boolean startupChecked;
  private boolean closed;

  /** A command issued while connecting, and the future its caller holds. */
  private record Waiting<T>(
      Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command, CompletableFuture<T> result) {

    void send(RedisAsyncCommands<String, byte[]> redis) {
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
        waiting.add(new Waiting<>(command, later));
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
    CompletableFuture<ConnectionFuture<StatefulRedisConnection<String, byte[]>>> started;
    try {
      started = CompletableFuture.supplyAsync(
          () -> client.connectAsync(CODEC, settings.redisUri()), resources.eventExecutorGroup());
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
  private void sendWaiting(StatefulRedisConnection<String, byte[]> connection) {
    RedisAsyncCommands<String, byte[]> redis = connection.async();
    boolean check;
    connection.setAutoFlushCommands(false);
    while (true) {
      List<Waiting<?>> batch;
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
      RedisHealthCheck.logWarnings(this);
    }
  }

  /** Fails every command that waited for a connect that failed, oldest first, outside the lock. */
  private void failWaiting(Throwable error) {
    List<Waiting<?>> failed;
    synchronized (this) {
      failed = new ArrayList<>(waiting);
      waiting.clear();
      connecting = false;
    }
    failed.forEach(w -> w.result().completeExceptionally(error));
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

  /** Closes the connection with the client; commands still waiting for a connection fail. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    failWaiting(new IllegalStateException("the connection is closed"));
    client.shutdownAsync(0, 2, TimeUnit.SECONDS).whenComplete((done, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
  }
}
