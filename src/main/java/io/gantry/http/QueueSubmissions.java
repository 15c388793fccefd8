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
import io.gantry.protocol.Principal;
import io.gantry.protocol.SubmitAccepted;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns queue submissions (one job, as in a DAG, plus optional {@code workflowId}, {@code executionId} and
 * {@code metadata}) into executions: one per single submit, and for a bulk few executions that its independent jobs
 * share ({@link #bulk}). Every document is validated before anything is written, so a bulk submit with one bad job
 * stores nothing.
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
    return parse(body, where).doc();
  }

  /** A validated job: its one-job document, and whether the caller named its execution and its job. */
  private record Parsed(DagDocument doc, boolean ownExecution, boolean ownJobId) {
  }

  private static Parsed parse(JsonNode body, String where) {
    if (body == null || !body.isObject()) {
      throw invalid(where, "must be a JSON object with at least a type, e.g. {\"type\": \"noop\"}", List.of());
    }
    ObjectNode job = ((ObjectNode) body).deepCopy();
    String workflowId = text(job.remove("workflowId"), where, "workflowId");
    String executionId = text(job.remove("executionId"), where, "executionId");
    JsonNode metadata = job.remove("metadata");
    boolean ownJobId = job.has("id");
    if (!ownJobId) {
      job.put("id", DEFAULT_JOB_ID);
    }
    try {
      DocumentBounds.checkMetadata(metadata, null);
      JobSpec spec = DagParser.parseJob(job);
      DagDocument doc = new DagDocument(workflowId == null ? DEFAULT_WORKFLOW : workflowId,
          executionId == null ? ExecutionIds.next(ExecutionIds.QUEUE_JOB) : executionId, null, metadata, List.of(spec));
      Dag.of(doc);
      return new Parsed(doc, executionId != null, ownJobId);
    } catch (DagValidationException e) {
      throw invalid(ErrorCode.valueOf(e.code()), where, e.getMessage(), e.details());
    }
  }

  /**
   * A bulk submission planned: the executions to create (in order) and each job's queue id (in the bulk's order).
   * Jobs that name their own {@code executionId} get a one-job execution each, as a single submit does (idempotent by
   * that id). The others share executions: one per {@code workflowId} and {@code metadata}, of up to
   * {@link #MAX_SHARED_JOBS} independent jobs, where each keeps the {@code id} it was given when that is unique in
   * the bulk, and is {@code j<i>} ({@code i} its position in the bulk) otherwise.
   */
  record Bulk(List<DagDocument> executions, List<ExecutionIndex.QueueExecution> index, List<String> ids) {
  }

  /**
   * The most jobs one shared execution of a bulk holds; a bigger group is split. Not 1,000: an Execution stores one
   * report at a time, so the reports of all its running jobs queue up in it; bounded to this many jobs they are
   * stored in well under a worker's 5 s report timeout even on a loaded machine, and several executions write in
   * parallel (docs/PERFORMANCE.md, "Issue 9: bulk jobs share one execution").
   */
  static final int MAX_SHARED_JOBS = 100;

  /** The shape of a positional id ({@code j<i>}); compiled once, not per job of a bulk. */
  private static final java.util.regex.Pattern POSITIONAL = java.util.regex.Pattern.compile("j[0-9]+");

  /** Validates every job first (naming the bad index), then plans the executions; nothing is written. */
  static Bulk bulk(JsonNode bulk) {
    JsonNode jobs = bulk == null ? null : bulk.get("jobs");
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      throw ApiException.of(ErrorCode.INVALID_JSON, "the body must be {\"jobs\": [ ...one or more jobs... ]}");
    }
    List<Parsed> parsed = new ArrayList<>(jobs.size());
    Set<String> ownExecutions = new HashSet<>();
    Map<String, Integer> givenIds = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      Parsed job = parse(jobs.get(i), "jobs[" + i + "]");
      if (job.ownExecution() && !ownExecutions.add(job.doc().executionId())) {
        throw invalid("jobs[" + i + "]", "executionId '" + job.doc().executionId() + "' is used twice in this bulk",
            List.of());
      }
      if (!job.ownExecution() && job.ownJobId()) {
        givenIds.merge(job.doc().jobs().get(0).id(), 1, Integer::sum);
      }
      parsed.add(job);
    }
    String[] ids = new String[parsed.size()];
    List<DagDocument> executions = new ArrayList<>();
    List<ExecutionIndex.QueueExecution> index = new ArrayList<>();
    Map<String, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < parsed.size(); i++) {
      DagDocument doc = parsed.get(i).doc();
      if (parsed.get(i).ownExecution()) {
        String jobId = doc.jobs().get(0).id();
        executions.add(doc);
        index.add(new ExecutionIndex.QueueExecution(doc.executionId(), List.of(jobId), false));
        ids[i] = doc.executionId() + ":" + jobId;
      } else {
        String key = doc.workflowId() + "\u0000" + (doc.metadata() == null ? "" : doc.metadata().toString());
        groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
      }
    }
    for (List<Integer> group : groups.values()) {
      for (int from = 0; from < group.size(); from += MAX_SHARED_JOBS) {
        List<Integer> chunk = group.subList(from, Math.min(group.size(), from + MAX_SHARED_JOBS));
        DagDocument first = parsed.get(chunk.get(0)).doc();
        String executionId = ExecutionIds.next(ExecutionIds.QUEUE_JOB);
        List<JobSpec> specs = new ArrayList<>(chunk.size());
        List<String> jobIds = new ArrayList<>(chunk.size());
        for (int i : chunk) {
          JobSpec spec = parsed.get(i).doc().jobs().get(0);
          String jobId = sharedJobId(i, parsed.get(i).ownJobId() ? spec.id() : null, givenIds);
          specs.add(withId(spec, jobId));
          jobIds.add(jobId);
          ids[i] = executionId + ":" + jobId;
        }
        executions.add(new DagDocument(first.workflowId(), executionId, null, first.metadata(), specs));
        index.add(new ExecutionIndex.QueueExecution(executionId, jobIds, true));
      }
    }
    return new Bulk(executions, index, List.of(ids));
  }

  /**
   * The id of the bulk's job {@code i} in its shared execution: the id it was given when no other job of the bulk
   * was given it and it cannot be taken for another position's {@code j<k>}; else {@code j<i>}. Unique either way.
   */
  private static String sharedJobId(int i, String given, Map<String, Integer> givenIds) {
    String positional = "j" + i;
    if (given == null || givenIds.get(given) > 1) {
      return positional;
    }
    return POSITIONAL.matcher(given).matches() && !given.equals(positional) ? positional : given;
  }

  private static JobSpec withId(JobSpec s, String id) {
    return new JobSpec(id, s.type(), s.dependsOn(), s.priority(), s.maxRetries(), s.backoff(), s.timeoutMs(),
        s.requiredCapabilities(), s.requirements(), s.concurrencyKey(), s.pool(), s.config());
  }

  /** Submits the job as a one-job execution, marked as a queue job in the same index write (idempotent by id). */
  CompletionStage<Submitted> submit(DagDocument doc, Principal by) {
    String jobId = doc.jobs().get(0).id();
    return gantry.submitQueueJob(doc, by)
        .thenApply((SubmitAccepted a) -> new Submitted(a.executionId() + ":" + jobId, a.executionId(), a.created()));
  }

  /** One index write for the whole bulk, then one submission per execution; answers the jobs' queue ids. */
  CompletionStage<List<String>> submit(Bulk bulk, Principal by) {
    return index.recordQueueExecutions(bulk.index(), System.currentTimeMillis())
        .exceptionally(e -> {
          throw new GantryException(ErrorCode.UNAVAILABLE, "cannot record the queue jobs in Redis: " + e.getMessage());
        })
        .thenCompose(marked -> {
          List<CompletableFuture<SubmitAccepted>> all = bulk.executions().stream()
              .map(d -> gantry.submit(d, by).toCompletableFuture()).toList();
          return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
        })
        .thenApply(v -> bulk.ids());
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
