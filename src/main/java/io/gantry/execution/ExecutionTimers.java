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

  /**
   * The longest delay a timer is started with. Pekko's scheduler refuses delays past about 248 days and
   * {@code Duration.toNanos} overflows past 292 years, while a document may ask for any backoff or timeout: a later
   * deadline fires after this and is armed again ({@link #early}).
   */
  static final long MAX_DELAY_MS = Duration.ofDays(30).toMillis();

  /** The backoff of a retrying job has passed (due at {@code at}). */
  record RetryDue(String jobId, long at) implements Internal {}

  /** The attempt ran longer than its job's timeout (due at {@code at}). */
  record AttemptTimedOut(String jobId, String attemptId, long at) implements Internal {}

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
    timers.startSingleTimer(retryKey(jobId), new RetryDue(jobId, at), delayUntil(at));
  }

  /** The attempt times out {@code timeoutMs} after it started (nothing when the job has no timeout). */
  void armTimeout(String jobId, String attemptId, long startedAt, long timeoutMs) {
    if (timeoutMs > 0) {
      long at = timeoutMs > Long.MAX_VALUE - startedAt ? Long.MAX_VALUE : startedAt + timeoutMs;
      timers.startSingleTimer(timeoutKey(attemptId), new AttemptTimedOut(jobId, attemptId, at), delayUntil(at));
    }
  }

  /** True when the retry fired before it is due (its deadline was past {@link #MAX_DELAY_MS}); it is armed again. */
  boolean early(RetryDue due) {
    if (due.at() <= System.currentTimeMillis()) {
      return false;
    }
    retryAt(due.jobId(), due.at());
    return true;
  }

  /** True when the timeout fired before it is due (see {@link #early(RetryDue)}); it is armed again. */
  boolean early(AttemptTimedOut due) {
    if (due.at() <= System.currentTimeMillis()) {
      return false;
    }
    timers.startSingleTimer(timeoutKey(due.attemptId()), due, delayUntil(due.at()));
    return true;
  }

  /** The delay until {@code at}, from 0 to {@link #MAX_DELAY_MS}. */
  static Duration delayUntil(long at) {
    long now = System.currentTimeMillis();
    return Duration.ofMillis(at <= now ? 0 : Math.min(MAX_DELAY_MS, at - now));
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
