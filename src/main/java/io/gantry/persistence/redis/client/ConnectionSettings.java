package io.gantry.persistence.redis.client;

import com.typesafe.config.Config;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * Where and how to reach Redis. Equal settings share one client per ActorSystem (see
 * {@link RedisConnections}); the key prefix is not part of it because several prefixes can share a
 * connection.
 */
public record ConnectionSettings(
    String url, Duration connectTimeout, Duration commandTimeout, Duration reconnectMaxDelay) {

  /**
   * Reads a block with {@code url}, {@code connect-timeout}, {@code command-timeout} and
   * {@code reconnect-max-delay}, such as a plugin's {@code connection} block; nothing else.
   */
  public static ConnectionSettings fromConfig(Config connection) {
    return new ConnectionSettings(
        connection.getString("url"),
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
