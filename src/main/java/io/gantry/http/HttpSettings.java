package io.gantry.http;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code gantry.http} block (defaults in reference.conf). With no token at all ({@link ApiTokens}: auth-token,
 * tokens, tokens-file) authentication is off, and then the API binds to loopback only unless the operator opts out
 * with {@code allow-unauthenticated}. A token of any role counts as "a token is configured".
 */
record HttpSettings(String host, int port, String authToken, long maxBodyBytes, Duration askTimeout,
    boolean allowUnauthenticated, ApiTokens tokens) {

  /** Settings whose only token is {@code authToken} (an admin token; none when blank). */
  HttpSettings(String host, int port, String authToken, long maxBodyBytes, Duration askTimeout,
      boolean allowUnauthenticated) {
    this(host, port, authToken, maxBodyBytes, askTimeout, allowUnauthenticated, ApiTokens.ofAuthToken(authToken));
  }

  static final String LOOPBACK = "127.0.0.1";
  static final String EVERY_INTERFACE = "0.0.0.0";

  /** Throws IllegalArgumentException when a token entry is malformed or the tokens file cannot be read. */
  static HttpSettings fromConfig(Config config) {
    Config http = config.getConfig("gantry.http");
    String token = http.getString("auth-token");
    ApiTokens tokens = ApiTokens.fromConfig(http);
    String host = http.getString("host").trim();
    if (host.isEmpty()) {
      host = tokens.isEmpty() ? LOOPBACK : EVERY_INTERFACE;
    }
    return new HttpSettings(host, http.getInt("port"), token, http.getBytes("max-body"),
        http.getDuration("ask-timeout"), http.getBoolean("allow-unauthenticated"), tokens);
  }

  boolean authEnabled() {
    return !tokens.isEmpty();
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
          + "run shell jobs on the workers: set gantry.http.auth-token (GANTRY_AUTH_TOKEN) or other tokens "
          + "(gantry.http.tokens, gantry.http.tokens-file), bind to loopback "
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
