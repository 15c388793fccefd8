package io.gantry.persistence.redis.internal;

import com.typesafe.config.Config;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Where and how to reach Redis. Equal settings share one connection per ActorSystem (see
 * {@link RedisConnections}); the key prefix is not part of it because several prefixes can share a
 * connection.
 */
public record ConnectionSettings(
    String url, Duration connectTimeout, Duration commandTimeout, Duration reconnectMaxDelay) {

  /**
   * Reads a {@code connection} block such as {@code gantry.persistence.redis.connection}; an empty
   * url means {@code gantry.redis.url} of the system config.
   */
  public static ConnectionSettings fromConfig(Config connection, Config systemConfig) {
    String url = connection.getString("url");
    return new ConnectionSettings(
        url.isBlank() ? systemConfig.getString("gantry.redis.url") : url,
        connection.getDuration("connect-timeout"),
        connection.getDuration("command-timeout"),
        connection.getDuration("reconnect-max-delay"));
  }

  public RedisURI redisUri() {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(commandTimeout);
    return uri;
  }

  /** host:port (or the sentinels and master name), never the password: safe for logs and errors. */
  public String address() {
    RedisURI uri = RedisURI.create(url);
    if (uri.getSentinels().isEmpty()) {
      return uri.getHost() + ":" + uri.getPort();
    }
    String sentinels =
        uri.getSentinels().stream()
            .map(s -> s.getHost() + ":" + s.getPort())
            .collect(Collectors.joining(","));
    return "sentinel " + sentinels + " master " + uri.getSentinelMasterId();
  }
}
