package io.gantry.protocol;

import java.util.List;

/** One page of the index's queue executions; {@code nextCursor} is null on the last page. */
public record QueueJobPage(List<Entry> items, String nextCursor) {

  /**
   * A queue execution as indexed: its one job ({@code jobId}), or for a bulk's shared execution none
   * ({@code shared}: its jobs are asked from the execution); its last recorded status; and {@code cursor}, the
   * listing's cursor that reads on after this entry.
   */
  public record Entry(String executionId, String jobId, boolean shared, ExecutionStatus status, long createdAt,
      Long completedAt, String cursor) {
  }
}
