package io.gantry.persistence.redis.client;

import com.typesafe.config.Config;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StaticCredentialsProvider;
import java.io.File;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where and how to reach Redis. Equal settings share one client per ActorSystem (see
 * {@link RedisConnections}); the key prefix is not part of it because several prefixes can share a
 * connection. {@code password}: Redis's {@code requirepass} when not in the URL (empty: none or the
 * URL's); {@code caFile}: a PEM file of the CA that signed the certificate of a {@code rediss://} Redis
 * (empty: the JDK's trusted CAs).
 */
public record ConnectionSettings(
    String url, Duration connectTimeout, Duration commandTimeout, Duration reconnectMaxDelay,
    String password, String caFile) {

  public ConnectionSettings(
      String url, Duration connectTimeout, Duration commandTimeout, Duration reconnectMaxDelay) {
    this(url, connectTimeout, commandTimeout, reconnectMaxDelay, "", "");
  }

  public ConnectionSettings {
    password = password == null ? "" : password;
    caFile = caFile == null ? "" : caFile.trim();
  }

  /**
   * Reads a block with {@code url}, {@code connect-timeout}, {@code command-timeout},
   * {@code reconnect-max-delay} and optionally {@code password} and {@code ca-file}, such as a
   * plugin's {@code connection} block; nothing else.
   */
  public static ConnectionSettings fromConfig(Config connection) {
    return new ConnectionSettings(
        connection.getString("url"),
        connection.getDuration("connect-timeout"),
        connection.getDuration("command-timeout"),
        connection.getDuration("reconnect-max-delay"),
        connection.hasPath("password") ? connection.getString("password") : "",
        connection.hasPath("ca-file") ? connection.getString("ca-file") : "");
  }

  public RedisURI redisUri() {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(commandTimeout);
    if (!password.isEmpty()) {
      // A user named in the URL (redis://user@host) keeps its name; the password comes from here.
      String user = Optional.ofNullable(uri.getCredentialsProvider())
          .map(p -> p.resolveCredentials().block())
          .filter(RedisCredentials::hasUsername)
          .map(RedisCredentials::getUsername)
          .orElse(null);
      uri.setCredentialsProvider(new StaticCredentialsProvider(user, password.toCharArray()));
    }
    return uri;
  }

  /** The TLS options of a {@code rediss://} connection: trust {@code caFile} when set. */
  Optional<SslOptions> sslOptions() {
    if (caFile.isEmpty()) {
      return Optional.empty();
    }
    File file = new File(caFile);
    if (!file.isFile()) {
      throw new IllegalArgumentException("Redis ca-file (gantry.redis.ca-file) " + caFile + ": no such file");
    }
    return Optional.of(SslOptions.builder().jdkSslProvider().trustManager(file).build());
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

  /** Without the URL (it may hold a password) and the password. */
  @Override
  public String toString() {
    return "ConnectionSettings[" + address() + ", connect " + connectTimeout + ", command " + commandTimeout
        + (password.isEmpty() ? "" : ", password set") + (caFile.isEmpty() ? "" : ", ca-file " + caFile) + "]";
  }
}
