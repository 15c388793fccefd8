package io.gantry.execution;

import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Internal;
import java.time.Duration;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The timers of one Execution and the messages they send it: a retry that is due, an attempt that ran past its
 * timeout, and the idle time after which a finished (or never submitted) execution leaves memory. Timers are only
 * started or cancelled after events are stored, or on recovery.
 */
final class ExecutionTimers {

  /** The backoff of a retrying job has passed. */
  record RetryDue(String jobId) implements Internal {}

  /** The attempt ran longer than its job's timeout. */
  record AttemptTimedOut(String jobId, String attemptId) implements Internal {}

  /** Nothing happened for a while: a finished execution passivates. */
  enum Idle implements Internal { INSTANCE }

  /** The execution's settled-job counts changed a while ago: the index's job counters learn them. */
  enum JobCountsDue implements Internal { INSTANCE }

  /** How long job counts may lag in the index: many jobs settling together cost one write. */
  static final Duration JOB_COUNTS_EVERY = Duration.ofMillis(250);

  private final TimerScheduler<Command> timers;
  private final Duration idleAfter;

  ExecutionTimers(TimerScheduler<Command> timers, Duration idleAfter) {
    this.timers = timers;
    this.idleAfter = idleAfter;
  }

  void retryAt(String jobId, long at) {
    timers.startSingleTimer(retryKey(jobId), new RetryDue(jobId),
        Duration.ofMillis(Math.max(0, at - System.currentTimeMillis())));
  }

  /** The attempt times out {@code timeoutMs} after it started (nothing when the job has no timeout). */
  void armTimeout(String jobId, String attemptId, long startedAt, long timeoutMs) {
    if (timeoutMs > 0) {
      long left = Math.max(0, startedAt + timeoutMs - System.currentTimeMillis());
      timers.startSingleTimer(timeoutKey(attemptId), new AttemptTimedOut(jobId, attemptId), Duration.ofMillis(left));
    }
  }

  void cancelTimeout(String attemptId) {
    timers.cancel(timeoutKey(attemptId));
  }

  /** Finished executions leave memory after a while; a later query recovers them from the journal. */
  void idleLater() {
    timers.startSingleTimer("idle", Idle.INSTANCE, idleAfter);
  }

  /** Job counts are written soon, once for whatever settles until then. */
  void jobCountsSoon() {
    if (!timers.isTimerActive("job-counts")) {
      timers.startSingleTimer("job-counts", JobCountsDue.INSTANCE, JOB_COUNTS_EVERY);
    }
  }

  void cancelJobCounts() {
    timers.cancel("job-counts");
  }

  private static String timeoutKey(String attemptId) {
    return "timeout:" + attemptId;
  }

  private static String retryKey(String jobId) {
    return "retry:" + jobId;
  }
}
