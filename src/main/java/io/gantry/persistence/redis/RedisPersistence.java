package io.gantry.persistence.redis;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisConnections;
import io.gantry.persistence.redis.internal.RedisHealthCheck;
import io.gantry.persistence.redis.internal.RedisTarget;
import io.gantry.persistence.redis.internal.SharedRedisConnection;
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
 * What Gantry does with its Redis besides the plugins: delete an execution's whole history
 * (retention) and report whether Redis keeps data safely (health). Uses the connections of
 * {@code gantry.persistence.redis.journal} and {@code .snapshot}.
 */
public final class RedisPersistence implements Extension {
  private static final Id ID = new Id();

  private final SharedRedisConnection journalRedis;
  private final RedisJournalStore journal;
  private final RedisSnapshots snapshots;

  private RedisPersistence(ExtendedActorSystem system) {
    Config config = system.settings().config();
    RedisTarget journalTarget = RedisTarget.fromPluginConfig(config.getConfig("gantry.persistence.redis.journal"), config);
    RedisTarget snapshotTarget = RedisTarget.fromPluginConfig(config.getConfig("gantry.persistence.redis.snapshot"), config);
    RedisConnections connections = RedisConnections.get(system);
    PayloadSerialization serialization = new PayloadSerialization(system);
    Executor executor = system.dispatchers().lookup("gantry.persistence.redis.dispatcher");
    this.journalRedis = connections.connection(journalTarget.connection());
    this.journal = new RedisJournalStore(journalRedis, journalTarget.keys(), new EventCodec(serialization), executor);
    this.snapshots =
        new RedisSnapshots(connections.connection(snapshotTarget.connection()), snapshotTarget.keys(), serialization, executor);
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
