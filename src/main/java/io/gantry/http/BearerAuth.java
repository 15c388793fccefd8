package io.gantry.http;

import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * When tokens are configured ({@link ApiTokens}), requires {@code Authorization: Bearer <token>} on every endpoint
 * but the open ones, and a token whose role may call the endpoint's class ({@link EndpointAccess}): no token or an
 * unknown one is 401, a known token of another role 403 naming the roles needed. Decided before routing, so an
 * unknown path needs a token too. The caller ({@link Principal}: the token's name and role) goes to the routes as a
 * request attribute ({@link #caller}), for the audit trail; with no token configured every caller is
 * {@link Principal#ANONYMOUS}.
 */
final class BearerAuth {
  private static final AttributeKey<Principal> CALLER = AttributeKey.create("gantry-caller", Principal.class);
  private static final String PREFIX = "Bearer ";

  private final ApiTokens tokens;
  private final ErrorHandling errors;

  BearerAuth(ApiTokens tokens, ErrorHandling errors) {
    this.tokens = tokens;
    this.errors = errors;
  }

  /** Who is calling (the authenticated token; {@link Principal#ANONYMOUS} on a node without tokens). */
  static Route caller(Function<Principal, Route> inner) {
    return Directives.optionalAttribute(CALLER, p -> inner.apply(p.orElse(Principal.ANONYMOUS)));
  }

  public Route protect(Supplier<Route> inner) {
    if (tokens.isEmpty()) {
      return Directives.mapRequest(r -> r.addAttribute(CALLER, Principal.ANONYMOUS), inner);
    }
    return Directives.extractRequest(request -> {
      String method = request.method().name();
      String path = request.getUri().path();
      EndpointAccess.Endpoints endpoints = EndpointAccess.of(method, path);
      if (endpoints == EndpointAccess.Endpoints.OPEN) {
        return inner.get();
      }
      Optional<Principal> caller = authenticate(request);
      if (caller.isEmpty()) {
        return Directives.respondWithHeader(WWWAuthenticate.create(HttpChallenge.create("Bearer", "gantry")),
            () -> Directives.complete(errors.error(new ApiException(ErrorCode.UNAUTHORIZED,
                "missing or unknown bearer token: send 'Authorization: Bearer <token>' with one of the node's "
                    + "tokens (gantry.http.auth-token, gantry.http.tokens, gantry.http.tokens-file)", null))));
      }
      Principal who = caller.get();
      if (!endpoints.allows(ApiTokens.role(who))) {
        return Directives.complete(errors.error(new ApiException(ErrorCode.FORBIDDEN,
            method + " " + path + " is " + endpoints.description + ", which needs a token of role "
                + endpoints.roles() + "; token '" + who.name() + "' has role " + who.role(),
            Map.of("token", who.name(), "role", who.role(), "required", endpoints.allowed.stream()
                .map(Role::wireName).toList()))));
      }
      return Directives.mapRequest(r -> r.addAttribute(CALLER, who), inner);
    });
  }

  private Optional<Principal> authenticate(HttpRequest request) {
    Optional<String> header = request.getHeader("Authorization").map(h -> h.value());
    if (header.isEmpty() || !header.get().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return Optional.empty();
    }
    return tokens.match(header.get().substring(PREFIX.length()));
  }
}
