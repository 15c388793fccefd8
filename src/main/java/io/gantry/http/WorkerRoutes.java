package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEnd;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.protocol.JobOffer;
import io.gantry.registry.RegistrySettings;
import io.gantry.worker.remote.RemoteWorkers;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The /workers endpoints of API.md §3: registration, listing, heartbeats, long polls and job reports, translated
 * from JSON ({@link WorkerRequests}, checked by {@link WorkerValidation}) to calls of the HTTP workers' runtime
 * ({@link RemoteWorkers}) and back. Refusals come back as GantryExceptions, which {@link ErrorHandling} maps to
 * their status.
 */
final class WorkerRoutes implements RouteProvider {
  /** A long poll's HTTP request may stay open this much longer than its wait. */
  private static final Duration POLL_REQUEST_MARGIN = Duration.ofSeconds(10);

  /** One job handed to a worker by a poll (API.md §3). */
  record Assignment(String attemptId, String executionId, String jobId, String type, JsonNode config,
      ObjectNode dependencyOutputs, long timeoutMs, int attempt, JsonNode lastCheckpoint, int priority) {
    static Assignment of(JobOffer o) {
      return new Assignment(o.attemptId(), o.executionId(), o.jobId(), o.type(), o.config(), o.dependencyOutputs(),
          o.timeoutMs(), o.attempt(), o.lastCheckpoint(), o.priority());
    }
  }

  private final RemoteWorkers workers;
  private final RegistrySettings settings;
  private final JsonSupport json;

  public WorkerRoutes(RemoteWorkers workers, RegistrySettings settings, JsonSupport json) {
    this.workers = workers;
    this.settings = settings;
    this.json = json;
  }

  @Override
  public Route route() {
    return pathPrefix("workers", () -> concat(
        path("register", () -> post(() -> json.entity(WorkerRequests.Register.class, this::register))),
        path("list", () -> get(() -> onSuccess(workers.list(), json::ok))),
        path("stats", () -> get(() -> onSuccess(workers.list(), all -> json.ok(WorkerStats.of(all))))),
        pathPrefix(segment(), id -> concat(
            pathEnd(() -> delete(() -> onSuccess(workers.deregister(id),
                done -> json.ok(Map.of("workerId", id, "status", "offline"))))),
            path("status", () -> get(() -> onSuccess(workers.status(id), json::ok))),
            path("heartbeat", () -> post(() -> optionalBody(WorkerRequests.Heartbeat.class,
                WorkerRequests.Heartbeat.EMPTY, body -> heartbeat(id, body)))),
            path("poll", () -> post(() -> optionalBody(WorkerRequests.Poll.class, WorkerRequests.Poll.EMPTY,
                body -> poll(id, body)))),
            pathPrefix("jobs", () -> concat(
                path(segment().slash("progress"), attemptId -> post(() -> json.entity(
                    WorkerRequests.Progress.class, body -> progress(id, attemptId, body)))),
                path(segment().slash("complete"), attemptId -> post(() -> json.entity(
                    WorkerRequests.Complete.class, body -> complete(id, attemptId, body))))))))));
  }

  private Route register(WorkerRequests.Register body) {
    var registration = WorkerValidation.registration(body);
    return onSuccess(workers.register(registration, WorkerValidation.holding(body.runningAttempts())),
        registered -> json.complete(StatusCodes.CREATED, registered));
  }

  private Route heartbeat(String id, WorkerRequests.Heartbeat body) {
    WorkerValidation.heartbeat(body);
    var holding = WorkerValidation.holding(body.runningAttempts());
    return onSuccess(workers.heartbeat(id, body.currentLoad(), holding), done -> json.ok(Map.of("workerId", id,
        "heartbeatIntervalMs", settings.heartbeatInterval().toMillis(),
        "ttlMs", settings.httpWorkerTtl().toMillis())));
  }

  private Route poll(String id, WorkerRequests.Poll body) {
    int max = WorkerValidation.pollMax(body);
    long waitMs = WorkerValidation.pollWaitMs(body);
    // pekko-http's request-timeout (20 s by default) would cut a long poll short.
    return Directives.withRequestTimeout(Duration.ofMillis(waitMs).plus(POLL_REQUEST_MARGIN),
        () -> onSuccess(workers.poll(id, max, waitMs),
            offers -> json.ok(offers.stream().map(Assignment::of).toList())));
  }

  private Route progress(String id, String attemptId, WorkerRequests.Progress body) {
    WorkerValidation.progress(body);
    return onSuccess(
        workers.progress(id, attemptId, body.percent(), body.message(), body.checkpoint(), body.logs()),
        done -> json.ok(Map.of("attemptId", attemptId, "accepted", true)));
  }

  private Route complete(String id, String attemptId, WorkerRequests.Complete body) {
    WorkerValidation.complete(body);
    Long took = body.metadata() == null ? null : body.metadata().executionTime();
    return onSuccess(workers.complete(id, attemptId, body.success(), body.output(), text(body.error()),
            text(body.logs()), took),
        done -> json.ok(Map.of("attemptId", attemptId, "accepted", true)));
  }

  /** {@code error} and {@code logs} as text: a string as it is, an array of lines joined, other JSON as JSON. */
  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      StringBuilder sb = new StringBuilder();
      node.forEach(line -> sb.append(sb.length() == 0 ? "" : "\n").append(line.isTextual() ? line.asText()
          : line.toString()));
      return sb.toString();
    }
    return node.toString();
  }

  /** A JSON body that may be left out (any content type, or none): absent means {@code empty}. */
  private <T> Route optionalBody(Class<T> type, T empty, Function<T, Route> inner) {
    return Directives.entity(Unmarshaller.entityToString(),
        body -> inner.apply(body.isBlank() ? empty : json.read(body, type)));
  }
}
