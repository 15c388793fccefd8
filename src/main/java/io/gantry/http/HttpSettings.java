package io.gantry.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/** The {@code gantry.http} block. An empty auth token turns authentication off. */
public record HttpSettings(String host, int port, String authToken, long maxBodyBytes, Duration askTimeout) {
  public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

  public static HttpSettings fromConfig(Config config) {
    Config http = config.hasPath("gantry.http") ? config.getConfig("gantry.http") : ConfigFactory.empty();
    return new HttpSettings(
        http.hasPath("host") ? http.getString("host") : "0.0.0.0",
        http.hasPath("port") ? http.getInt("port") : 8080,
        http.hasPath("auth-token") ? http.getString("auth-token") : "",
        http.hasPath("max-body") ? http.getBytes("max-body") : DEFAULT_MAX_BODY,
        http.hasPath("ask-timeout") ? http.getDuration("ask-timeout") : Duration.ofSeconds(10));
  }

  public boolean authEnabled() {
    return authToken != null && !authToken.isBlank();
  }
}
