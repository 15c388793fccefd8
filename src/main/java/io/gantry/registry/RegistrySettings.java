package io.gantry.registry;

import com.typesafe.config.Config;
import io.gantry.protocol.WorkerProtocol;
import java.time.Duration;

/** Registry tuning read once from {@code gantry.*}. */
public record RegistrySettings(
    Duration heartbeatInterval,
    Duration unreachableGrace,
    Duration aging,
    double rateLimitPerSecond,
    Duration tick,
    Duration offlineRetention) {

  public static RegistrySettings from(Config config) {
    return new RegistrySettings(
        config.getDuration("gantry.worker.heartbeat-interval"),
        config.getDuration("gantry.failover.unreachable-grace"),
        config.getDuration("gantry.queue.aging"),
        config.getDouble("gantry.queue.rate-limit"),
        config.getDuration("gantry.registry.tick"),
        config.getDuration("gantry.registry.offline-retention"));
  }

  /** An HTTP worker that has not been heard of for this long expires. */
  public Duration httpWorkerTtl() {
    return heartbeatInterval.multipliedBy(2);
  }

  /**
   * How long a new registry waits for the worker of an attempt an Execution believes runs to register again before
   * the attempt counts as lost. A worker that is registered settles it itself with the list of what it holds.
   */
  public Duration orphanGrace() {
    return unreachableGrace.plus(WorkerProtocol.CLUSTER_HEARTBEAT.multipliedBy(2));
  }

}
