package io.gantry.registry.cluster;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Tuning of the queue state the pools share through Redis, read once from {@code gantry.queue.*}.
 *
 * @param keyTtl how long a concurrency key's lock outlives its last renewal (a registry renews it every third of it)
 * @param keyRetry how soon an attempt refused its key (held in another pool, or Redis away) tries again
 * @param refresh how often a registry re-reads the shared pause flag (it is also told at once when it changes)
 */
public record ClusterQueueSettings(Duration keyTtl, Duration keyRetry, Duration refresh) {

  public static ClusterQueueSettings from(Config config) {
    return new ClusterQueueSettings(
        config.getDuration("gantry.queue.concurrency-key-ttl"),
        config.getDuration("gantry.queue.concurrency-key-retry"),
        config.getDuration("gantry.queue.pause-refresh"));
  }
}
