package io.gantry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.Gantry;
import io.gantry.dag.Dag;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagParser;
import io.gantry.dag.DagValidationException;
import io.gantry.dag.DocumentBounds;
import io.gantry.dag.JobSpec;
import io.gantry.execution.ExecutionIndex;
import io.gantry.internal.ExecutionIds;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.SubmitAccepted;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns queue submissions (one job, as in a DAG, plus optional {@code workflowId}, {@code executionId} and
 * {@code metadata}) into one-job executions. Every document is validated before anything is written, so a bulk
 * submit with one bad job stores nothing.
 */
final class QueueSubmissions {
  static final String DEFAULT_WORKFLOW = "queue";
  static final String DEFAULT_JOB_ID = "job";

  /** A submitted queue job: its queue id, execution, and whether this request created it. */
  record Submitted(String id, String executionId, boolean created) {
  }

  private final Gantry gantry;
  private final ExecutionIndex index;

  QueueSubmissions(Gantry gantry, ExecutionIndex index) {
    this.gantry = gantry;
    this.index = index;
  }

  /** A validated one-job document; {@code where} names the job in errors ("job", "jobs[3]"). */
  static DagDocument document(JsonNode body, String where) {
    if (body == null || !body.isObject()) {
      throw invalid(where, "must be a JSON object with at least a type, e.g. {\"type\": \"noop\"}", List.of());
    }
    ObjectNode job = ((ObjectNode) body).deepCopy();
    String workflowId = text(job.remove("workflowId"), where, "workflowId");
    String executionId = text(job.remove("executionId"), where, "executionId");
    JsonNode metadata = job.remove("metadata");
    if (!job.has("id")) {
      job.put("id", DEFAULT_JOB_ID);
    }
    try {
      DocumentBounds.checkMetadata(metadata, null);
      JobSpec spec = DagParser.parseJob(job);
      DagDocument doc = new DagDocument(workflowId == null ? DEFAULT_WORKFLOW : workflowId,
          executionId == null ? ExecutionIds.next(ExecutionIds.QUEUE_JOB) : executionId, null, metadata, List.of(spec));
      Dag.of(doc);
      return doc;
    } catch (DagValidationException e) {
      throw invalid(ErrorCode.valueOf(e.code()), where, e.getMessage(), e.details());
    }
  }

  /** Validates every job first (naming the bad index), then submits them all. */
  static List<DagDocument> documents(JsonNode bulk) {
    JsonNode jobs = bulk == null ? null : bulk.get("jobs");
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "the body must be {\"jobs\": [ ...one or more jobs... ]}");
    }
    List<DagDocument> docs = new ArrayList<>(jobs.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < jobs.size(); i++) {
      DagDocument doc = document(jobs.get(i), "jobs[" + i + "]");
      if (!ids.add(doc.executionId())) {
        throw invalid("jobs[" + i + "]", "executionId '" + doc.executionId() + "' is used twice in this bulk",
            List.of());
      }
      docs.add(doc);
    }
    return docs;
  }

  /** Marks the execution as a queue job in the index, then submits it (idempotent by executionId). */
  CompletionStage<Submitted> submit(DagDocument doc) {
    String jobId = doc.jobs().get(0).id();
    return index.recordQueueJob(doc.executionId(), jobId, System.currentTimeMillis())
        .exceptionally(e -> {
          throw new GantryException(ErrorCode.UNAVAILABLE, "cannot record the queue job in Redis: " + e.getMessage());
        })
        .thenCompose(marked -> gantry.submit(doc))
        .thenApply((SubmitAccepted a) -> new Submitted(a.executionId() + ":" + jobId, a.executionId(), a.created()));
  }

  CompletionStage<List<Submitted>> submitAll(List<DagDocument> docs) {
    List<CompletableFuture<Submitted>> all = docs.stream().map(d -> submit(d).toCompletableFuture()).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
  }

  private static String text(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw invalid(where, "field '" + field + "' must be a string", List.of(where + ": " + field + " must be a string"));
    }
    return node.textValue();
  }

  /** Names the job as the caller knows it: "job" or "jobs[3]" of the bulk, not the one-job document's "jobs[0]". */
  private static ApiException invalid(String where, String message, List<String> details) {
    return invalid(ErrorCode.INVALID_DAG, where, message, details);
  }

  /** {@code code}: INVALID_DAG, or PAYLOAD_TOO_LARGE for a document bound on sizes (DocumentBounds). */
  private static ApiException invalid(ErrorCode code, String where, String message, List<String> details) {
    List<String> named = details.isEmpty() ? List.of(where + ": " + message)
        : details.stream().map(d -> name(d, where)).toList();
    return new ApiException(code, name(message, where), named);
  }

  private static String name(String text, String where) {
    String named = text.replace("jobs[0]", where).replace("Invalid DAG: ", "");
    return named.contains(where) ? named : where + ": " + named;
  }
}
