package io.gantry.persistence.redis.client;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Lettuce client and its resources (event loops, reconnect backoff, timeouts) per connection
 * settings, with at most one connection per value codec on it: bytes for the persistence plugin,
 * strings for an application's own keys. Within an ActorSystem get it through {@link RedisConnections},
 * which closes it; one made here directly (a tool, a test without an ActorSystem) is closed by its maker.
 */
public final class SharedRedisClient implements AutoCloseable {
  private final ConnectionSettings settings;
  private final ClientResources resources;
  private final RedisClient client;
  /** Set once the health check ran (or when it is not wanted). */
  private final AtomicBoolean checked;
  private SharedRedisConnection<byte[]> bytes;
  private SharedRedisConnection<String> strings;

  /** A client of its own, for a tool or a test; it logs no health warnings (the ActorSystem's client does). */
  public SharedRedisClient(ConnectionSettings settings) {
    this(settings, false);
  }

  /** {@code checkHealth}: log Redis's eviction and persistence warnings once the first connection is up. */
  SharedRedisClient(ConnectionSettings settings, boolean checkHealth) {
    this.settings = settings;
    this.checked = new AtomicBoolean(!checkHealth);
    // Lettuce's default reconnect backoff grows to 30 s; a shorter cap brings actors back sooner.
    this.resources =
        DefaultClientResources.builder()
            .reconnectDelay(() -> Delay.exponential(
                Duration.ofMillis(50), settings.reconnectMaxDelay(), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources);
    ClientOptions.Builder options = ClientOptions.builder();
    settings.sslOptions().ifPresent(options::sslOptions);
    client.setOptions(
        options
            .autoReconnect(true)
            // While Redis is away, fail at once instead of queueing until the command timeout.
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
            .timeoutOptions(TimeoutOptions.builder().fixedTimeout(settings.commandTimeout()).build())
            .build());
  }

  ConnectionSettings settings() {
    return settings;
  }

  ClientResources resources() {
    return resources;
  }

  RedisClient client() {
    return client;
  }

  public synchronized SharedRedisConnection<byte[]> bytes() {
    if (bytes == null) {
      bytes = new SharedRedisConnection<>(this, StringKeyBytesCodec.INSTANCE, () -> checkOnce(bytes));
    }
    return bytes;
  }

  public synchronized SharedRedisConnection<String> strings() {
    if (strings == null) {
      strings = new SharedRedisConnection<>(this, StringCodec.UTF8, () -> checkOnce(strings));
    }
    return strings;
  }

  /** Redis's eviction policy and persistence are checked once per client, by whichever connection comes up first. */
  private void checkOnce(SharedRedisConnection<?> connection) {
    if (checked.compareAndSet(false, true)) {
      RedisHealthCheck.logWarnings(connection);
    }
  }

  /** Closes the connections, then the client and its resources. */
  @Override
  public void close() {
    SharedRedisConnection<?> b;
    SharedRedisConnection<?> s;
    synchronized (this) {
      b = bytes;
      s = strings;
    }
    if (b != null) {
      b.close();
    }
    if (s != null) {
      s.close();
    }
    client.shutdownAsync(0, 2, TimeUnit.SECONDS).whenComplete((done, error) -> resources.shutdown(0, 2, TimeUnit.SECONDS));
  }
}
