package io.gantry.execution;

import io.gantry.protocol.ExecutionPage;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.QueueJobPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Where executions are listed, outside their journals: what exists (for listings, newest first) and which are
 * unfinished (so a restarted cluster wakes them without anyone asking). Writes are asynchronous and never block.
 */
public interface ExecutionIndex {

  /** The index of this ActorSystem, in Gantry's Redis ({@code gantry.redis}); one instance per system. */
  static ExecutionIndex of(ActorSystem<?> system) {
    return RedisExecutionIndex.Id.INSTANCE.apply(system);
  }

  /** Written before the Execution persists its submission, so an execution never exists unindexed. */
  CompletionStage<Void> recordSubmitted(String executionId, String workflowId, int jobCount, long at);

  /** One execution of a bulk submission, for {@link #recordSubmittedAll}. */
  record Submission(String executionId, String workflowId, int jobCount) {}

  /**
   * As {@link #recordSubmitted} for every submission of a bulk, all at time {@code at}. This default writes them one
   * by one; the Redis index writes them all in one call.
   */
  default CompletionStage<Void> recordSubmittedAll(List<Submission> submissions, long at) {
    List<CompletableFuture<Void>> all = new ArrayList<>(submissions.size());
    submissions.forEach(s -> all.add(
        recordSubmitted(s.executionId(), s.workflowId(), s.jobCount(), at).toCompletableFuture()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /**
   * Which of {@code executionIds} the index holds already (submitted before, or being submitted). This default says
   * none; the Redis index reads them all in one call.
   */
  default CompletionStage<Set<String>> indexed(Collection<String> executionIds) {
    return CompletableFuture.completedFuture(new HashSet<>());
  }

  /** The latest status of an execution; finished ones leave the live set. Fire-and-forget. */
  void recordStatus(String executionId, ExecutionStatus status, Long completedAt);

  /** A finished execution runs again (retry): it leaves the ended sets and is live again. Fire-and-forget. */
  void recordReopened(String executionId, ExecutionStatus status);

  /** Executions not finished yet. */
  CompletionStage<List<String>> liveExecutions();

  /** Drops an execution entirely (retention, or a submission that never reached its entity). */
  CompletionStage<Void> remove(String executionId);

  /** Lists executions newest first; {@code cursor} is null or a previous page's {@code nextCursor}. */
  CompletionStage<ExecutionPage> list(String workflowId, ExecutionStatus status, int limit, String cursor);

  /** Finished executions (completed or failed, as asked) that ended before {@code endedBefore}, oldest first. */
  CompletionStage<List<String>> finishedBefore(ExecutionStatus status, long endedBefore, int limit);

  // ---- the queue API's single-job executions and counts

  /**
   * Marks a not yet indexed execution as a queue job (one job, {@code jobId}), so the queue listing shows it and the
   * DAG listing's filters are unaffected. Answers false, changing nothing, when the id is already indexed.
   */
  CompletionStage<Boolean> recordQueueJob(String executionId, String jobId, long at);

  /** Queue jobs newest first whose execution status is one of {@code statuses} (all when empty). */
  CompletionStage<QueueJobPage> listQueueJobs(Set<ExecutionStatus> statuses, int limit, String cursor);

  /** Finished executions still indexed (not cleaned yet), of one final status. */
  CompletionStage<Long> finishedCount(ExecutionStatus status);

  /** How many executions are unfinished. */
  CompletionStage<Long> liveCount();

  /** Up to {@code max} distinct unfinished executions, chosen at random (all of them when there are fewer). */
  CompletionStage<List<String>> sampleLive(int max);
}
