package io.gantry.decision;

import io.gantry.dag.Dag;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;

/**
 * A read-only view of one run, as the {@link Decider} needs it. Jobs are named by their index in {@link #dag()}.
 * The Execution's own state implements it directly (no copy: the decider runs on every event), so a view is only
 * valid until the next event is applied; the decider reads it and keeps nothing.
 */
public interface RunView {

  Dag dag();

  ExecutionStatus status();

  JobStatus jobStatus(int job);

  /** Dependencies of the job that have not completed yet. */
  int unmetDependencies(int job);

  /** Failures and timeouts counted against the job's {@code maxRetries} (lost attempts are not). */
  int failures(int job);

  /** When a retrying job's next attempt is due, or null. */
  Long nextAttemptAt(int job);

  /** The attempt the job holds now, or null. */
  String currentAttemptId(int job);

  /** The id the job's next attempt gets. */
  String nextAttemptId(int job);

  /** Jobs that are not completed, failed, cancelled or skipped. */
  int unsettled();

  /** How many jobs have this status. */
  int count(JobStatus status);
}
