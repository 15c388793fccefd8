package io.gantry.persistence.redis.snapshot;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.RedisConnections;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import io.gantry.persistence.redis.internal.RedisTarget;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import scala.concurrent.Future;
import scala.jdk.javaapi.FutureConverters;

/**
 * The Pekko Persistence snapshot store on Redis. Reads only its own block (the one Pekko passes in;
 * defaults at {@code gantry.persistence.redis.snapshot}).
 */
public final class RedisSnapshotStore extends SnapshotStore {
  private final RedisSnapshots snapshots;

  public RedisSnapshotStore(Config config) {
    ExtendedActorSystem system = (ExtendedActorSystem) context().system();
    RedisTarget target = RedisTarget.fromPluginConfig(config);
    this.snapshots =
        new RedisSnapshots(
            RedisConnections.get(system).bytes(target.connection()),
            target.keys(),
            new PayloadSerialization(system),
            context().dispatcher());
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return FutureConverters.asScala(snapshots.load(persistenceId, criteria));
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    return FutureConverters.asScala(snapshots.save(metadata, snapshot));
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    return FutureConverters.asScala(snapshots.delete(metadata));
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return FutureConverters.asScala(snapshots.delete(persistenceId, criteria));
  }
}
