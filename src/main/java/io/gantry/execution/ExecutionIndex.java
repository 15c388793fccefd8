package io.gantry.execution;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where executions are listed, outside their journals: what exists (for listings, newest first) and which are
 * unfinished (so a restarted cluster wakes them without anyone asking). Writes are asynchronous and never block.
 */
public interface ExecutionIndex {

  /** Written before the Execution persists its submission, so an execution never exists unindexed. */
  CompletionStage<Void> recordSubmitted(String executionId, String workflowId, int jobCount, long at);

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
}
