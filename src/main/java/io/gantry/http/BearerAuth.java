package io.gantry.http;

import io.gantry.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Requires {@code Authorization: Bearer <token>} on every endpoint but the liveness and readiness probes and
 * the pages themselves (the dashboard and everything under /ui/: they hold no data; their API calls ask for the
 * token), when a token is configured. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * so the comparison takes the same time whatever the token's content or length.
 */
final class BearerAuth {
  private static final Set<String> OPEN_PATHS = Set.of("/health/live", "/health/ready", "/");
  private static final String OPEN_PREFIX = "/ui/";
  private static final String PREFIX = "Bearer ";

  private final byte[] expectedDigest;
  private final ErrorHandling errors;

  /** A blank {@code token} turns authentication off. */
  public BearerAuth(String token, ErrorHandling errors) {
    this.expectedDigest = token == null || token.isBlank() ? null : sha256(token.trim());
    this.errors = errors;
  }

  public Route protect(Supplier<Route> inner) {
    if (expectedDigest == null) {
      return inner.get();
    }
    return Directives.extractUri(uri -> isOpen(uri.path()) ? inner.get()
        : Directives.optionalHeaderValueByName("Authorization", header -> accepted(header) ? inner.get()
            : Directives.respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "gantry")),
                () -> Directives.complete(errors.error(new ApiException(ErrorCode.UNAUTHORIZED,
                    "missing or wrong bearer token: send 'Authorization: Bearer <token>' "
                        + "with the node's gantry.http.auth-token (GANTRY_AUTH_TOKEN)", null))))));
  }

  private static boolean isOpen(String path) {
    return OPEN_PATHS.contains(path) || path.startsWith(OPEN_PREFIX);
  }

  private boolean accepted(Optional<String> header) {
    if (header.isEmpty() || !header.get().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, sha256(header.get().substring(PREFIX.length()).trim()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
