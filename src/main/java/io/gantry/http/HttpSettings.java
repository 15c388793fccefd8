package io.gantry.http;

import com.typesafe.config.Config;
import java.time.Duration;

/** The {@code gantry.http} block (defaults in reference.conf). An empty auth token turns authentication off. */
record HttpSettings(String host, int port, String authToken, long maxBodyBytes, Duration askTimeout) {

  static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("gantry.http");
    return new HttpSettings(http.getString("host"), http.getInt("port"), http.getString("auth-token"),
        http.getBytes("max-body"), http.getDuration("ask-timeout"));
  }

  boolean authEnabled() {
    return authToken != null && !authToken.isBlank();
  }
}
