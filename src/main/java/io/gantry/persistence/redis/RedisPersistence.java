package io.gantry.persistence.redis;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.client.RedisHealth;
import io.gantry.persistence.redis.client.RedisHealthCheck;
import io.gantry.persistence.redis.client.SharedRedisConnection;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisTarget;
import io.gantry.persistence.redis.journal.EventCodec;
import io.gantry.persistence.redis.journal.RedisJournalStore;
import io.gantry.persistence.redis.snapshot.RedisSnapshots;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.Done;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * What an application does with the plugin's Redis besides journaling: delete a persistence id's
 * whole history (retention) and report whether Redis keeps data safely (health). Uses the blocks of
 * the system's default journal and snapshot store ({@code pekko.persistence.journal.plugin} and
 * {@code pekko.persistence.snapshot-store.plugin}), which must be this plugin's.
 */
public final class RedisPersistence implements Extension {
  private static final Id ID = new Id();

  private final SharedRedisConnection<byte[]> journalRedis;
  private final RedisJournalStore journal;
  private final RedisSnapshots snapshots;

  private RedisPersistence(ExtendedActorSystem system) {
    Config config = system.settings().config();
    Config journalBlock = pluginBlock(config, "pekko.persistence.journal.plugin");
    RedisTarget journalTarget = RedisTarget.fromPluginConfig(journalBlock);
    RedisTarget snapshotTarget = RedisTarget.fromPluginConfig(pluginBlock(config, "pekko.persistence.snapshot-store.plugin"));
    RedisConnections connections = RedisConnections.get(system);
    PayloadSerialization serialization = new PayloadSerialization(system);
    Executor executor = system.dispatchers().lookup(journalBlock.getString("plugin-dispatcher"));
    this.journalRedis = connections.bytes(journalTarget.connection());
    this.journal = new RedisJournalStore(journalRedis, journalTarget.keys(), new EventCodec(serialization), executor);
    this.snapshots =
        new RedisSnapshots(connections.bytes(snapshotTarget.connection()), snapshotTarget.keys(), serialization, executor);
  }

  /** The block that {@code setting} (a plugin path setting of Pekko Persistence) names. */
  private static Config pluginBlock(Config config, String setting) {
    String path = config.getString(setting);
    if (path.isBlank() || !config.hasPath(path)) {
      throw new IllegalStateException(setting + " must name the block of the Redis plugin, not '" + path + "'");
    }
    return config.getConfig(path);
  }

  public static RedisPersistence get(ActorSystem<?> system) {
    return get(Adapter.toClassic(system));
  }

  public static RedisPersistence get(org.apache.pekko.actor.ActorSystem system) {
    return ID.get(system);
  }

  /**
   * Deletes every event, tag entry, snapshot and the highest sequence nr of the persistence id. Only
   * for ids that will never be written again (finished executions): the id starts over at 0.
   */
  public CompletionStage<Done> deletePersistenceId(String persistenceId) {
    return journal.deleteAll(persistenceId)
        .thenCombine(snapshots.deleteAll(persistenceId), (events, snaps) -> Done.getInstance());
  }

  /** Pings Redis and checks its eviction policy and persistence; never fails (unreachable is a result). */
  public CompletionStage<RedisHealth> redisHealth() {
    return RedisHealthCheck.check(journalRedis);
  }

  /** A cheap round trip; fails, naming the address, when Redis does not answer within the command timeout. */
  public CompletionStage<Done> ping() {
    return journalRedis.run("PING", r -> r.ping()).thenApply(pong -> Done.getInstance());
  }

  private static final class Id extends AbstractExtensionId<RedisPersistence> {
    @Override
    public RedisPersistence createExtension(ExtendedActorSystem system) {
      return new RedisPersistence(system);
    }
  }
}
