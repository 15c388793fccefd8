package io.gantry.http;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ParserSettings;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the routes of every {@link RouteProvider} behind one error mapping, bearer auth and the body-size limit,
 * and unbinds through CoordinatedShutdown. Usage: {@code new GantryHttp(system, settings, json, providers).bind()}.
 */
final class GantryHttp {
  private static final Logger log = LoggerFactory.getLogger(GantryHttp.class);
  private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final HttpSettings settings;
  private final Route route;

  public GantryHttp(ActorSystem<?> system, HttpSettings settings, JsonSupport json, List<RouteProvider> providers) {
    this.system = system;
    this.settings = settings;
    this.route = new MetricsTiming(io.gantry.metrics.GantryMetrics.get(system).registry())
        .timed(compose(settings, json, providers));
  }

  /** Errors outermost, so that auth and size failures are JSON too; auth before routing, so 404s need a token. */
  static Route compose(HttpSettings settings, JsonSupport json, List<RouteProvider> providers) {
    ErrorHandling errors = new ErrorHandling(json);
    BearerAuth auth = new BearerAuth(settings.tokens(), errors);
    List<Route> routes = providers.stream().map(RouteProvider::route).toList();
    return errors.handle(() -> auth.protect(() -> Directives.withSizeLimit(settings.maxBodyBytes(),
        () -> routes.isEmpty() ? Directives.reject() : Directives.concat(routes.get(0),
            routes.subList(1, routes.size()).toArray(new Route[0])))));
  }

  public Route route() {
    return route;
  }

  public CompletionStage<ServerBinding> bind() {
    ServerSettings server = ServerSettings.create(system.settings().config());
    ParserSettings parser = server.getParserSettings().withMaxContentLength(settings.maxBodyBytes());
    ServerBuilder builder = Http.get(system).newServerAt(settings.host(), settings.port())
        .withSettings(server.withParserSettings(parser));
    // With a keystore the port speaks HTTPS only (a plain request gets no answer, never the API).
    Optional<HttpsSettings> https = HttpsSettings.fromConfig(system.settings().config());
    if (https.isPresent()) {
      try {
        builder = builder.enableHttps(ConnectionContext.httpsServer(https.get().sslContext()));
      } catch (IllegalArgumentException e) {
        log.error("HTTP API not started: {}", e.getMessage());
        return CompletableFuture.failedFuture(e);
      }
    }
    String scheme = https.isPresent() ? "HTTPS" : "HTTP";
    return builder
        .bind(route)
        .thenApply(binding -> {
          log.info("{} API listening on {}:{}", scheme, settings.host(), binding.localAddress().getPort());
          return binding.addToCoordinatedShutdown(DRAIN_DEADLINE, system);
        });
  }
}
