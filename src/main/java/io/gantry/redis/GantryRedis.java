package io.gantry.redis;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Gantry's own Redis keys (execution index, locks, lease, directories), one per ActorSystem, configured at
 * {@code gantry.redis}. Runs on the persistence plugin's client stack ({@link RedisConnections}): the same
 * Lettuce client as the journal when the settings are equal, the same connect, reconnect and timeout handling.
 */
public final class GantryRedis implements Extension {
  private final SharedRedisConnection<String> connection;
  private final String prefix;

  private GantryRedis(ActorSystem<?> system) {
    Config redis = system.settings().config().getConfig("gantry.redis");
    this.connection = RedisConnections.get(system).strings(ConnectionSettings.fromConfig(redis));
    this.prefix = redis.getString("key-prefix");
  }

  public static GantryRedis get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Commands and scripts on string values; failures name the address and the operation. */
  public SharedRedisConnection<String> connection() {
    return connection;
  }

  /** Key prefix of every Gantry key, e.g. "gantry:". */
  public String prefix() {
    return prefix;
  }

  /** host:port, for error messages. */
  public String address() {
    return connection.address();
  }

  private static final class Id extends ExtensionId<GantryRedis> {
    static final Id INSTANCE = new Id();

    @Override
    public GantryRedis createExtension(ActorSystem<?> system) {
      return new GantryRedis(system);
    }
  }
}
