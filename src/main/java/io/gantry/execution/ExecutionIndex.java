package io.gantry.execution;

import io.gantry.protocol.ExecutionPage;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.QueueJobPage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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

  /**
   * One execution to record, for {@link #recordSubmittedAll}; {@code queueJobId} (null for a DAG) also marks a new
   * entry as a single queue job with that job, so the queue listing shows it and the DAG listing's filters are
   * unaffected.
   */
  record Submission(String executionId, String workflowId, int jobCount, String queueJobId) {
    public Submission(String executionId, String workflowId, int jobCount) {
      this(executionId, workflowId, jobCount, null);
    }
  }

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

  /** A queue submission's execution: one job ({@code shared} false), or the many independent jobs of a bulk. */
  record QueueExecution(String executionId, List<String> jobIds, boolean shared) {}

  /**
   * Marks every not yet indexed execution of a bulk submission as a queue execution (its job, or its jobs' count), in
   * one write, so the queue listing shows them and the DAG listing's filters are unaffected; answers, in order,
   * whether each was marked (false: already indexed, unchanged).
   */
  CompletionStage<List<Boolean>> recordQueueExecutions(List<QueueExecution> executions, long at);

  /**
   * Queue executions newest first: single-job ones whose execution status is one of {@code statuses}, shared ones
   * (a bulk's) whose status is one of {@code sharedStatuses} (each set: all when empty). Each entry has the cursor
   * that reads on after it.
   */
  CompletionStage<QueueJobPage> listQueueJobs(Set<ExecutionStatus> statuses, Set<ExecutionStatus> sharedStatuses,
      int limit, String cursor);

  /** Finished executions still indexed (not cleaned yet), of one final status. */
  CompletionStage<Long> finishedCount(ExecutionStatus status);

  // ---- job counts (GET /queue/stats counts jobs, not executions)

  /**
   * How many of an execution's jobs are completed, failed and cancelled now. The index adds the difference to what
   * it counted for this execution before, so the same counts written twice (a replay, a restart) count once; an
   * execution no longer indexed (cleaned) counts nothing. Fire-and-forget.
   */
  void recordJobCounts(String executionId, int completed, int failed, int cancelled);

  /** Jobs completed, failed and cancelled over every indexed execution (only those three keys). */
  CompletionStage<Map<JobStatus, Long>> jobCounts();

  /** How many executions are unfinished. */
  CompletionStage<Long> liveCount();

  /** Up to {@code max} distinct unfinished executions, chosen at random (all of them when there are fewer). */
  CompletionStage<List<String>> sampleLive(int max);
}
