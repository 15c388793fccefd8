package io.gantry.persistence.redis.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * One {@link SharedRedisConnection} per ActorSystem and connection settings, so the journal, the
 * snapshot store, the read journal and the retention API pipeline on the same connection. Closed
 * when the ActorSystem terminates.
 */
public final class RedisConnections implements Extension {
  private static final Id ID = new Id();

  private final Map<ConnectionSettings, SharedRedisConnection> connections = new ConcurrentHashMap<>();

  private RedisConnections(ActorSystem system) {
    system.registerOnTermination(() -> connections.values().forEach(SharedRedisConnection::close));
  }

  public static RedisConnections get(ActorSystem system) {
    return ID.get(system);
  }

  public SharedRedisConnection connection(ConnectionSettings settings) {
    return connections.computeIfAbsent(settings, SharedRedisConnection::new);
  }

  private static final class Id extends AbstractExtensionId<RedisConnections> {
    @Override
    public RedisConnections createExtension(ExtendedActorSystem system) {
      return new RedisConnections(system);
    }
  }
}
