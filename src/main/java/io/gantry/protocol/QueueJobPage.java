package io.gantry.protocol;

import java.util.List;

/** One page of the index's queue jobs; {@code nextCursor} is null on the last page. */
public record QueueJobPage(List<Entry> items, String nextCursor) {

  /** A queue job as indexed: its execution, its one job, and the execution's last recorded status. */
  public record Entry(String executionId, String jobId, ExecutionStatus status, long createdAt, Long completedAt) {

    /** The queue API's id of the job: {@code executionId:jobId}. */
    public String queueId() {
      return executionId + ":" + jobId;
    }
  }
}
