package io.gantry.persistence.redis.client;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The Redis client stack of an ActorSystem, shared by the persistence plugin and the application: one
 * Lettuce client per {@link ConnectionSettings}, one {@link SharedRedisConnection} per settings and
 * value codec on it. So the journal, the snapshot store, the read journal and an application's own
 * keys on the same Redis pipeline on one client. Closed when the ActorSystem terminates.
 */
public final class RedisConnections implements Extension {
  private static final Id ID = new Id();

  private final ActorSystem system;
  private final Map<ConnectionSettings, SharedRedisClient> clients = new ConcurrentHashMap<>();

  private RedisConnections(ActorSystem system) {
    this.system = system;
    system.registerOnTermination(() -> clients.values().forEach(SharedRedisClient::close));
  }

  public static RedisConnections get(ActorSystem system) {
    return ID.get(system);
  }

  public static RedisConnections get(org.apache.pekko.actor.typed.ActorSystem<?> system) {
    return get(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system));
  }

  /** The connection with raw byte values (the plugin's events and snapshots). */
  public SharedRedisConnection<byte[]> bytes(ConnectionSettings settings) {
    return client(settings).bytes();
  }

  /** The connection with UTF-8 string values. */
  public SharedRedisConnection<String> strings(ConnectionSettings settings) {
    return client(settings).strings();
  }

  /**
   * The string connection configured by the block at {@code configPath} of the system config
   * ({@code url}, {@code connect-timeout}, {@code command-timeout}, {@code reconnect-max-delay}).
   */
  public SharedRedisConnection<String> strings(String configPath) {
    Config config = system.settings().config();
    return strings(ConnectionSettings.fromConfig(config.getConfig(configPath)));
  }

  private SharedRedisClient client(ConnectionSettings settings) {
    return clients.computeIfAbsent(settings, s -> new SharedRedisClient(s, true));
  }

  private static final class Id extends AbstractExtensionId<RedisConnections> {
    @Override
    public RedisConnections createExtension(ExtendedActorSystem system) {
      return new RedisConnections(system);
    }
  }
}
