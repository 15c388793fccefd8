package io.gantry.persistence.redis.query;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.internal.RedisTarget;
import java.time.Duration;

/** Settings of the read journal, read once from {@code gantry.persistence.redis.query}. */
record QuerySettings(RedisTarget target, int batchSize, Duration refreshInterval) {

  static QuerySettings fromConfig(Config query, Config systemConfig) {
    return new QuerySettings(
        RedisTarget.fromPluginConfig(query, systemConfig),
        query.getInt("batch-size"),
        query.getDuration("refresh-interval"));
  }
}
