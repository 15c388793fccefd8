package io.gantry.http;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code gantry.http} block (defaults in reference.conf). An empty auth token turns authentication off, and
 * then the API binds to loopback only unless the operator opts out with {@code allow-unauthenticated}.
 */
record HttpSettings(String host, int port, String authToken, long maxBodyBytes, Duration askTimeout,
    boolean allowUnauthenticated) {

  static final String LOOPBACK = "127.0.0.1";
  static final String EVERY_INTERFACE = "0.0.0.0";

  static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("gantry.http");
    String token = http.getString("auth-token");
    String host = http.getString("host").trim();
    if (host.isEmpty()) {
      host = token.isBlank() ? LOOPBACK : EVERY_INTERFACE;
    }
    return new HttpSettings(host, http.getInt("port"), token, http.getBytes("max-body"),
        http.getDuration("ask-timeout"), http.getBoolean("allow-unauthenticated"));
  }

  boolean authEnabled() {
    return authToken != null && !authToken.isBlank();
  }

  /** True when the API is reachable from other hosts with no token (allowed only by the explicit opt-out). */
  boolean openToTheNetwork() {
    return !authEnabled() && !isLoopback(host);
  }

  /** The warning a node open to the network by the explicit opt-out logs and shows on /health/state. */
  Optional<String> exposure() {
    return openToTheNetwork() ? Optional.of("the HTTP API listens on " + host + " with no token "
        + "(gantry.http.allow-unauthenticated = on): anyone who reaches it can run shell jobs on the workers")
        : Optional.empty();
  }

  /** Why this binding must not start, if it must not: another address than loopback and no token, no opt-out. */
  Optional<String> refusal() {
    if (openToTheNetwork() && !allowUnauthenticated) {
      return Optional.of("the HTTP API would listen on " + host + " with no token, so anyone who reaches it could "
          + "run shell jobs on the workers: set gantry.http.auth-token (GANTRY_AUTH_TOKEN), bind to loopback "
          + "(--http-host 127.0.0.1), or opt out with gantry.http.allow-unauthenticated = on");
    }
    return Optional.empty();
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
