package io.gantry;

import io.gantry.dag.Dag;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagValidationException;
import io.gantry.execution.ExecutionIndex;
import io.gantry.internal.Asking;
import io.gantry.internal.ExecutionIds;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.Principal;
import io.gantry.protocol.SubmitAccepted;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Many DAGs in one call ({@link Gantry#submitAll}), all or nothing: every document is validated, and the ids that
 * documents name are looked up in the index, before anything is written. Ids already indexed are submitted again
 * first (idempotent: the same document answers the existing execution, another one fails the whole call with
 * CONFLICT); the new ones are then recorded in the index in one Redis call and submitted, all at once.
 * Refusals name the document by its position: {@code executions[3]: ...}.
 */
final class BulkSubmission {
  /** The most executions one bulk takes (API.md). */
  static final int MAX_EXECUTIONS = 1000;

  private final ExecutionIndex index;
  private final Asking asking;
  /** Submits one validated document with an id to its entity. */
  private final BiFunction<DagDocument, Principal, CompletionStage<SubmitAccepted>> submitOne;

  BulkSubmission(ExecutionIndex index, Asking asking,
      BiFunction<DagDocument, Principal, CompletionStage<SubmitAccepted>> submitOne) {
    this.index = index;
    this.asking = asking;
    this.submitOne = submitOne;
  }

  CompletionStage<List<SubmitAccepted>> submit(List<DagDocument> documents, Principal by) {
    int n = documents.size();
    if (n == 0) {
      return failed(ErrorCode.BAD_REQUEST, "executions is empty: send one DAG document or more");
    }
    if (n > MAX_EXECUTIONS) {
      return failed(ErrorCode.PAYLOAD_TOO_LARGE, "a bulk takes at most " + MAX_EXECUTIONS + " executions, this one has "
          + n + ": split it into several calls");
    }
    List<DagDocument> docs = new ArrayList<>(n);
    List<ExecutionIndex.Submission> entries = new ArrayList<>(n);
    Map<String, Integer> positions = new HashMap<>();
    List<String> named = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DagDocument doc = documents.get(i);
      Dag dag;
      try {
        if (doc == null) {
          throw new GantryException(ErrorCode.INVALID_DAG, "must be a DAG document, not null");
        }
        dag = Dag.of(doc);
      } catch (DagValidationException e) {
        return CompletableFuture.failedFuture(at(i, new GantryException(ErrorCode.valueOf(e.code()),
            e.getMessage().replaceFirst("^Invalid DAG: ", ""), e.details())));
      } catch (GantryException e) {
        return CompletableFuture.failedFuture(at(i, e));
      }
      String id = doc.executionId() != null ? doc.executionId() : ExecutionIds.next(ExecutionIds.EXECUTION);
      Integer first = positions.putIfAbsent(id, i);
      if (first != null) {
        return CompletableFuture.failedFuture(at(i, new GantryException(ErrorCode.INVALID_DAG,
            "executionId '" + id + "' is executions[" + first + "]'s too: an id names one execution")));
      }
      if (doc.executionId() != null) {
        named.add(id);
      }
      docs.add(doc.withExecutionId(id));
      entries.add(new ExecutionIndex.Submission(id, dag.workflowId(), dag.size()));
    }
    return unavailableIfFails(index.indexed(named), "cannot read the execution index in Redis")
        .thenCompose(existing -> resubmitExisting(docs, existing, by)
            .thenCompose(again -> submitNew(docs, entries, existing, by)
                .thenApply(created -> inOrder(docs, again, created))));
  }

  /** Submits the documents whose id is indexed already: an answer for each, or the first refusal. */
  private CompletionStage<Map<Integer, SubmitAccepted>> resubmitExisting(List<DagDocument> docs, Set<String> existing,
      Principal by) {
    Map<Integer, CompletableFuture<SubmitAccepted>> asks = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      if (existing.contains(docs.get(i).executionId())) {
        asks.put(i, named(i, submitOne.apply(docs.get(i), by)));
      }
    }
    return all(asks);
  }

  /** Records every new execution in the index in one call, then submits them all at once. */
  private CompletionStage<Map<Integer, SubmitAccepted>> submitNew(List<DagDocument> docs,
      List<ExecutionIndex.Submission> entries, Set<String> existing, Principal by) {
    List<ExecutionIndex.Submission> fresh = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      if (!existing.contains(docs.get(i).executionId())) {
        fresh.add(entries.get(i));
      }
    }
    return unavailableIfFails(index.recordSubmittedAll(fresh, System.currentTimeMillis()),
        "cannot record the executions in Redis").thenCompose(v -> {
          Map<Integer, CompletableFuture<SubmitAccepted>> asks = new HashMap<>();
          for (int i = 0; i < docs.size(); i++) {
            if (!existing.contains(docs.get(i).executionId())) {
              asks.put(i, named(i, submitOne.apply(docs.get(i), by)));
            }
          }
          return all(asks);
        });
  }

  private static List<SubmitAccepted> inOrder(List<DagDocument> docs, Map<Integer, SubmitAccepted> again,
      Map<Integer, SubmitAccepted> created) {
    List<SubmitAccepted> answers = new ArrayList<>(docs.size());
    for (int i = 0; i < docs.size(); i++) {
      answers.add(again.containsKey(i) ? again.get(i) : created.get(i));
    }
    return answers;
  }

  /** Every answer once all are in; the refusal of the lowest position if one failed. */
  private static CompletionStage<Map<Integer, SubmitAccepted>> all(
      Map<Integer, CompletableFuture<SubmitAccepted>> asks) {
    return CompletableFuture.allOf(asks.values().toArray(CompletableFuture[]::new)).handle((v, e) -> {
      Map<Integer, SubmitAccepted> answers = new TreeMap<>();
      for (Map.Entry<Integer, CompletableFuture<SubmitAccepted>> a : new TreeMap<>(asks).entrySet()) {
        answers.put(a.getKey(), a.getValue().join()); // the lowest failed position throws first
      }
      return answers;
    });
  }

  /** The stage with its refusal naming the document's position. */
  private CompletableFuture<SubmitAccepted> named(int i, CompletionStage<SubmitAccepted> stage) {
    return stage.toCompletableFuture().handle((ok, error) -> {
      if (error != null) {
        throw at(i, asking.unavailable(error));
      }
      return ok;
    });
  }

  private static GantryException at(int i, GantryException e) {
    String where = "executions[" + i + "]";
    return new GantryException(e.errorCode(), where + ": " + e.getMessage(),
        e.details().stream().map(d -> where + ": " + d).toList());
  }

  private static <T> CompletionStage<T> unavailableIfFails(CompletionStage<T> stage, String what) {
    return stage.exceptionally(e -> {
      throw new GantryException(ErrorCode.UNAVAILABLE, what + ": " + Asking.rootMessage(e));
    });
  }

  private static <T> CompletionStage<T> failed(ErrorCode code, String message) {
    return CompletableFuture.failedFuture(new GantryException(code, message));
  }
}
