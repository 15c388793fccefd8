package io.gantry.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Gantry's own Redis connection (execution index, locks, directories), one per ActorSystem: asynchronous,
 * pipelined by Lettuce, failing fast while Redis is away and reconnecting by itself.
 */
public final class GantryRedis implements Extension {
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;
  private final String address;

  private GantryRedis(ActorSystem<?> system) {
    var config = system.settings().config();
    RedisURI uri = RedisURI.create(config.getString("gantry.redis.url"));
    Duration timeout = Duration.ofSeconds(5);
    uri.setTimeout(timeout);
    this.address = uri.getHost() + ":" + uri.getPort();
    this.prefix = config.hasPath("gantry.redis.key-prefix") ? config.getString("gantry.redis.key-prefix") : "gantry:";
    this.client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    this.connection = client.connect();
    system.getWhenTerminated().whenComplete((d, e) -> {
      connection.closeAsync();
      client.shutdownAsync();
    });
  }

  public static GantryRedis get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public RedisAsyncCommands<String, String> async() {
    return connection.async();
  }

  public StatefulRedisConnection<String, String> connection() {
    return connection;
  }

  /** Key prefix of every Gantry key, e.g. "gantry:". */
  public String prefix() {
    return prefix;
  }

  /** host:port, for error messages. */
  public String address() {
    return address;
  }

  private static final class Id extends ExtensionId<GantryRedis> {
    static final Id INSTANCE = new Id();

    @Override
    public GantryRedis createExtension(ActorSystem<?> system) {
      return new GantryRedis(system);
    }
  }
}
