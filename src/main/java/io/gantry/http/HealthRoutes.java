package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import io.gantry.worker.remote.RemoteWorkers;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * /health/live, /ready, /state, /workers and /queue (API.md §3): 200 {@code {status: "UP", ...}} or
 * 503 {@code {status: "DOWN", reason, ...}}. Liveness answers without asking anyone.
 */
final class HealthRoutes implements RouteProvider {
  private final HealthChecks checks;
  private final JsonSupport json;

  public HealthRoutes(org.apache.pekko.actor.typed.ActorSystem<?> system, RemoteWorkers workers, JsonSupport json) {
    this.checks = new HealthChecks(system, workers);
    this.json = json;
  }

  @Override
  public Route route() {
    return pathPrefix("health", () -> get(() -> concat(
        path("live", () -> json.ok(Map.of("status", "UP"))),
        path("ready", () -> answer(checks.ready())),
        path("state", () -> answer(checks.state())),
        path("workers", () -> answer(checks.workers())),
        path("queue", () -> answer(checks.queue())))));
  }

  private Route answer(CompletionStage<HealthReport> report) {
    return onSuccess(report, r -> json.complete(r.up() ? StatusCodes.OK : StatusCodes.SERVICE_UNAVAILABLE,
        r.body()));
  }
}
