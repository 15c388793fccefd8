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

import io.gantry.Gantry;
import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.api.ExecutionAccepted;
import io.gantry.api.ExecutionsAccepted;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagParser;
import io.gantry.dag.DagValidationException;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.SubmitAccepted;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The /execute endpoints of API.md §3 (the event stream is {@link EventStreamRoutes}): submit (one DAG, or a bulk
 * of them), status, pause, resume, cancel, retry, checkpoint, listing and job detail. Refusals come back from
 * {@link Gantry} as GantryExceptions, which {@link ErrorHandling} maps to their status.
 */
final class ExecutionRoutes implements RouteProvider {

  /** Body of POST /execute/{id}/checkpoint. */
  record CheckpointRequest(String checkpointId) {
  }

  /** The most documents one bulk takes (API.md); the facade holds to the same bound. */
  static final int MAX_BULK = 1000;

  private final Gantry gantry;
  private final JsonSupport json;

  public ExecutionRoutes(Gantry gantry, JsonSupport json) {
    this.gantry = gantry;
    this.json = json;
  }

  @Override
  public Route route() {
    return pathPrefix("execute", () -> concat(
        pathEndOrSingleSlash(() -> get(this::list)),
        path("distributed", () -> post(this::submit)),
        path(segment("distributed").slash("bulk"), () -> post(this::submitBulk)),
        pathPrefix(segment(), id -> concat(
            path("status", () -> get(() -> json.answer(() -> gantry.status(id)))),
            path("pause", () -> post(() -> BearerAuth.caller(by -> json.answer(() -> gantry.pause(id, by))))),
            path("resume", () -> post(() -> BearerAuth.caller(by -> json.answer(() -> gantry.resume(id, by))))),
            path("cancel", () -> post(() -> BearerAuth.caller(by -> json.answer(() -> gantry.cancel(id, by))))),
            path("retry", () -> post(() -> BearerAuth.caller(by -> json.answer(() -> gantry.retry(id, by))))),
            path("checkpoint", () -> post(() -> json.entity(CheckpointRequest.class, body -> checkpoint(id, body)))),
            path(segment("jobs").slash(segment()), jobId -> get(() -> json.answer(() -> gantry.job(id, jobId))))))));
  }

  /** Any content type is read as JSON, so {@code curl -d @dag.json} works without a header. */
  private Route submit() {
    return BearerAuth.caller(by -> entity(Unmarshaller.entityToByteString(), bytes -> {
      DagDocument document = DagParser.parse(bytes.toArray(), json.mapper());
      return onSuccess(gantry.submit(document, by), accepted ->
          json.complete(accepted.created() ? StatusCodes.ACCEPTED : StatusCodes.OK, accepted(accepted)));
    }));
  }

  /** {@code {executions: [DAG document, ...]}}: 202 with one item per document, in their order (API.md). */
  private Route submitBulk() {
    return BearerAuth.caller(by -> entity(Unmarshaller.entityToByteString(), bytes -> {
      List<DagDocument> documents = bulkDocuments(json.tree(bytes.toArray()));
      return onSuccess(gantry.submitAll(documents, by), all -> json.complete(StatusCodes.ACCEPTED,
          new ExecutionsAccepted(all.stream().map(ExecutionRoutes::accepted).toList())));
    }));
  }

  /** Every document of a bulk parsed, or a 400 that names the first bad one by its position. */
  private static List<DagDocument> bulkDocuments(JsonNode body) {
    JsonNode executions = body.isObject() ? body.get("executions") : null;
    if (executions == null || !executions.isArray()) {
      throw ApiException.of(ErrorCode.INVALID_JSON,
          "the body must be {\"executions\": [ ...one or more DAG documents... ]}");
    }
    body.fieldNames().forEachRemaining(field -> {
      if (!field.equals("executions")) {
        throw ApiException.of(ErrorCode.INVALID_JSON, "unknown field '" + field + "': the body has only executions");
      }
    });
    if (executions.size() > MAX_BULK) {
      throw ApiException.of(ErrorCode.PAYLOAD_TOO_LARGE, "a bulk takes at most " + MAX_BULK
          + " executions, this one has " + executions.size() + ": split it into several calls");
    }
    List<DagDocument> documents = new ArrayList<>(executions.size());
    for (int i = 0; i < executions.size(); i++) {
      try {
        documents.add(DagParser.fromTree(executions.get(i)));
      } catch (DagValidationException e) {
        String where = "executions[" + i + "]";
        throw new ApiException(ErrorCode.valueOf(e.code()), where + ": "
            + e.getMessage().replaceFirst("^Invalid DAG: ", ""), e.details().stream().map(d -> where + ": " + d)
            .toList());
      }
    }
    return documents;
  }

  private static ExecutionAccepted accepted(SubmitAccepted a) {
    return new ExecutionAccepted(a.executionId(), a.workflowId(), a.status(),
        "/execute/" + a.executionId() + "/status");
  }

  private Route list() {
    return parameterOptional("workflowId", workflowId -> parameterOptional("status", status ->
        parameterOptional("limit", limit -> parameterOptional("cursor", cursor -> {
          ExecutionStatus wanted = QueryParams.executionStatus(status);
          int n = QueryParams.limit(limit);
          return json.answer(() -> gantry.list(workflowId.filter(w -> !w.isBlank()).orElse(null), wanted, n,
              QueryParams.cursor(cursor)));
        }))));
  }

  private Route checkpoint(String id, CheckpointRequest body) {
    if (body.checkpointId() == null || body.checkpointId().isBlank()) {
      throw ApiException.of(ErrorCode.BAD_REQUEST, "checkpointId is required: {\"checkpointId\": \"...\"}");
    }
    return json.answer(() -> gantry.linkCheckpoint(id, body.checkpointId()));
  }
}
