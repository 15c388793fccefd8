package io.gantry.decision;

import io.gantry.protocol.ExecutionStatus;
import java.util.List;

/**
 * One step of what follows a change to a run, as decided by {@link Decider}. The decider returns them in the order
 * they must be recorded; the Execution turns each into the event that records it.
 */
public sealed interface Decision {

  /** A job gets a new attempt, offered to its pool. */
  record Attempt(String jobId, String attemptId) {}

  /** These jobs get new attempts (from waiting, retrying, or after a lost attempt). */
  record Queue(List<Attempt> attempts) implements Decision {}

  /** The attempt that just failed is retried at {@code at}: the job is retrying until then. */
  record RetryAt(String jobId, long at) implements Decision {}

  /** The attempt that just failed was the job's last: it failed for good. */
  record FailForGood(String jobId) implements Decision {}

  /** Waiting jobs that can never run because {@code becauseOf} failed or was cancelled. */
  record Skip(List<String> jobIds, String becauseOf) implements Decision {}

  /** One job is cancelled; {@code attemptId} is the attempt it held (null when waiting or retrying). */
  record CancelJob(String jobId, String attemptId) implements Decision {}

  /** Every unsettled job is cancelled and the execution ends cancelled. */
  record CancelExecution(List<String> jobIds) implements Decision {}

  /** Failed, skipped and cancelled jobs go back to waiting with a fresh retry budget. */
  record Reopen(List<String> jobIds) implements Decision {}

  /** Nothing is left to run: the execution ends with this status. */
  record Finish(ExecutionStatus status) implements Decision {}
}
