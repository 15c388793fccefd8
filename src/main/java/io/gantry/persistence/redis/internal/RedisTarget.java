package io.gantry.persistence.redis.internal;

import com.typesafe.config.Config;

/** The Redis a plugin part talks to and the key names it uses there, read from its {@code connection} block. */
public record RedisTarget(ConnectionSettings connection, RedisKeys keys) {

  /** {@code plugin} is a plugin block such as {@code gantry.persistence.redis.journal}. */
  public static RedisTarget fromPluginConfig(Config plugin, Config systemConfig) {
    Config connection = plugin.getConfig("connection");
    return new RedisTarget(
        ConnectionSettings.fromConfig(connection, systemConfig), new RedisKeys(connection.getString("key-prefix")));
  }
}
