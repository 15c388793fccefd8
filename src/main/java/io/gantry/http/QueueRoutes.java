package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.entity;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.Gantry;
import io.gantry.api.CleanRequest;
import io.gantry.api.DrainRequest;
import io.gantry.api.PauseState;
import io.gantry.api.QueueStatsView;
import io.gantry.api.Removed;
import io.gantry.dag.DagDocument;
import io.gantry.execution.ExecutionIndex;
import io.gantry.execution.Retention;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.Principal;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The /queue endpoints of API.md §3. A queue job is a job of a queue-submitted execution (one job, or the shared
 * execution of a bulk); its id is {@code executionId:jobId}. Queue-submitted executions have an index of their own,
 * so the listing shows them and not DAG executions.
 */
final class QueueRoutes implements RouteProvider {
  static final int DEFAULT_CLEAN_LIMIT = 1000;
  static final int MAX_CLEAN_LIMIT = 100_000;

  record Created(String id, String executionId) {
  }

  record BulkCreated(List<String> ids) {
  }

  record QueueJobList(List<QueueJob> items, String nextCursor) {
  }

  private final Gantry gantry;
  private final JsonSupport json;
  private final QueueSubmissions submissions;
  private final QueueJobListing listing;
  private final LiveJobScan live;
  private final Retention retention;
  private final ExecutionIndex index;

  QueueRoutes(Gantry gantry, JsonSupport json, ExecutionIndex index, LiveJobScan live, Retention retention) {
    this.gantry = gantry;
    this.json = json;
    this.index = index;
    this.submissions = new QueueSubmissions(gantry, index);
    this.listing = new QueueJobListing(gantry, index);
    this.live = live;
    this.retention = retention;
  }

  @Override
  public Route route() {
    return pathPrefix("queue", () -> concat(
        path("stats", () -> get(this::stats)),
        path("pause", () -> post(() -> onSuccess(gantry.pauseQueue(), d -> json.ok(new PauseState(true))))),
        path("resume", () -> post(() -> onSuccess(gantry.resumeQueue(), d -> json.ok(new PauseState(false))))),
        path("drain", () -> post(() -> BearerAuth.caller(by -> optionalBody(DrainRequest.class,
            new DrainRequest(false), body -> drain(body, by))))),
        path("clean", () -> post(() -> optionalBody(CleanRequest.class, new CleanRequest(null, null, null),
            this::clean))),
        pathPrefix("jobs", () -> concat(
            pathEndOrSingleSlash(() -> concat(post(this::submitOne), get(this::list))),
            path("bulk", () -> post(this::submitBulk)),
            pathPrefix(segment(), id -> concat(
                pathEndOrSingleSlash(() -> get(() -> json.answer(() -> job(QueueJob.Ref.parse(id))))),
                path("result", () -> get(() -> json.answer(() -> result(QueueJob.Ref.parse(id))))),
                path("cancel", () -> post(() -> BearerAuth.caller(by ->
                    json.answer(() -> cancel(QueueJob.Ref.parse(id), by))))),
                path("retry", () -> post(() -> BearerAuth.caller(by ->
                    json.answer(() -> retry(QueueJob.Ref.parse(id), by)))))))))));
  }

  // ---- submitting

  private Route submitOne() {
    return BearerAuth.caller(by -> jsonBody(body -> {
      DagDocument doc = QueueSubmissions.document(body, "job");
      return onSuccess(submissions.submit(doc, by), s -> json.complete(s.created() ? StatusCodes.ACCEPTED : StatusCodes.OK,
          new Created(s.id(), s.executionId())));
    }));
  }

  /** One shared execution per group of up to 1,000 independent jobs, not one per job (QueueSubmissions#bulk). */
  private Route submitBulk() {
    return BearerAuth.caller(by -> jsonBody(body -> {
      QueueSubmissions.Bulk bulk = QueueSubmissions.bulk(body);
      return onSuccess(submissions.submit(bulk, by), ids -> json.complete(StatusCodes.ACCEPTED, new BulkCreated(ids)));
    }));
  }

  // ---- jobs

  private Route list() {
    return parameterOptional("status", status -> parameterOptional("limit", limit ->
        parameterOptional("cursor", cursor -> {
          JobStatus wanted = QueryParams.jobStatus(status);
          int n = QueryParams.limit(limit);
          return json.answer(() -> list(wanted, n, QueryParams.cursor(cursor)));
        })));
  }

  private CompletionStage<QueueJobList> list(JobStatus wanted, int limit, String cursor) {
    return listing.list(wanted, limit, cursor);
  }

  /** The job, and its execution's creation time (asked without the execution's whole state: a bulk's is big). */
  private CompletionStage<QueueJob> job(QueueJob.Ref ref) {
    CompletionStage<JobDetail> detail = gantry.job(ref.executionId(), ref.jobId());
    return detail.thenCombine(gantry.jobs(ref.executionId(), null, 0, 0), (d, page) -> QueueJob.of(d,
        page.createdAt()));
  }

  private CompletionStage<?> result(QueueJob.Ref ref) {
    return gantry.result(ref.executionId(), ref.jobId());
  }

  private CompletionStage<QueueJob> cancel(QueueJob.Ref ref, Principal by) {
    return gantry.cancelJob(ref.executionId(), ref.jobId(), by).thenCompose(s -> job(ref));
  }

  /** Only this job runs again (with the jobs its failure skipped); the execution's other jobs keep their state. */
  private CompletionStage<QueueJob> retry(QueueJob.Ref ref, Principal by) {
    return gantry.retryJobs(ref.executionId(), List.of(ref.jobId()), by).thenCompose(s -> job(ref));
  }

  // ---- the queue as a whole

  /** Counts of jobs: completed, failed and cancelled from the index's job counters, one read. */
  private Route stats() {
    CompletionStage<QueueStatsView> view = gantry.queueStats().thenCompose(pools -> live.counts()
        .thenCombine(index.jobCounts(), (counts, jobs) -> QueueStatsMerge.merge(pools, counts,
            jobs.get(JobStatus.COMPLETED), jobs.get(JobStatus.FAILED), jobs.get(JobStatus.CANCELLED))));
    return onSuccess(view, json::ok);
  }

  private Route drain(DrainRequest body, Principal by) {
    CompletionStage<Integer> queued = gantry.drain(by);
    CompletionStage<Integer> removed = Boolean.TRUE.equals(body.delayed())
        ? queued.thenCompose(n -> live.cancelDelayed(by).thenApply(d -> n + d))
        : queued;
    return onSuccess(removed, n -> json.ok(new Removed(n)));
  }

  private Route clean(CleanRequest body) {
    long grace = body.graceMs() == null ? 0 : body.graceMs();
    if (grace < 0) {
      throw ApiException.of(ErrorCode.BAD_REQUEST, "graceMs must be 0 or more, got " + grace);
    }
    int limit = body.limit() == null ? DEFAULT_CLEAN_LIMIT : body.limit();
    if (limit < 1 || limit > MAX_CLEAN_LIMIT) {
      throw ApiException.of(ErrorCode.BAD_REQUEST, "limit must be from 1 to " + MAX_CLEAN_LIMIT + ", got " + limit);
    }
    String type = body.type() == null ? "completed" : body.type();
    ExecutionStatus status = switch (type) {
      case "completed" -> ExecutionStatus.COMPLETED;
      case "failed" -> ExecutionStatus.FAILED;
      case "cancelled" -> ExecutionStatus.CANCELLED;
      default -> throw ApiException.of(ErrorCode.BAD_REQUEST,
          "type must be completed, failed or cancelled, got '" + type + "'");
    };
    return onSuccess(retention.clean(status, System.currentTimeMillis() - grace, limit),
        n -> json.ok(new Removed(n)));
  }

  // ---- helpers

  /** A JSON body of any content type (curl's default included), as a tree. */
  private Route jsonBody(Function<JsonNode, Route> inner) {
    return entity(Unmarshaller.entityToString(), text -> inner.apply(json.read(text, JsonNode.class)));
  }

  /** An optional JSON body: none, or an empty one, means {@code absent}. */
  private <T> Route optionalBody(Class<T> type, T absent, Function<T, Route> inner) {
    return entity(Unmarshaller.entityToString(), text -> inner.apply(text.isBlank() ? absent : json.read(text, type)));
  }
}
