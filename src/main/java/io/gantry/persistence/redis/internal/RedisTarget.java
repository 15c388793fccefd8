package io.gantry.persistence.redis.internal;

import com.typesafe.config.Config;
import io.gantry.persistence.redis.client.ConnectionSettings;

/** The Redis a plugin part talks to and the key names it uses there, read from its {@code connection} block. */
public record RedisTarget(ConnectionSettings connection, RedisKeys keys) {

  /** {@code plugin} is the block of the plugin part, at whatever path it is mounted; nothing else is read. */
  public static RedisTarget fromPluginConfig(Config plugin) {
    Config connection = plugin.getConfig("connection");
    return new RedisTarget(ConnectionSettings.fromConfig(connection), new RedisKeys(connection.getString("key-prefix")));
  }
}
