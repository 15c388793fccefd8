package io.gantry.persistence.redis.query;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.internal.RedisTarget;
import java.time.Duration;

/**
 * Settings of the read journal, read once from its own block (the one Pekko Persistence Query passes
 * in, at whatever path it is mounted; defaults at {@code gantry.persistence.redis.query}).
 */
record QuerySettings(RedisTarget target, int batchSize, Duration refreshInterval, String pluginDispatcher) {

  static QuerySettings fromConfig(Config query) {
    return new QuerySettings(
        RedisTarget.fromPluginConfig(query),
        query.getInt("batch-size"),
        query.getDuration("refresh-interval"),
        query.getString("plugin-dispatcher"));
  }
}
