package io.gantry.execution;

import io.gantry.dag.Dag;
import io.gantry.execution.ExecutionEvent.*;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Decide, then apply: pure functions from the current state and a change about to be recorded to the events that
 * must follow it (jobs that become ready, descendants to skip, the execution's end). They read the state as it is
 * before the change and never modify it.
 */
final class Decider {
  private Decider() {}

  /** Events after {@code jobIndex} succeeds: dependents whose last dependency it was get queued; maybe the end. */
  static List<ExecutionEvent> afterSuccess(RunState s, int jobIndex, long now) {
    List<ExecutionEvent> events = new ArrayList<>(2);
    if (s.status != ExecutionStatus.PAUSED) {
      List<QueuedAttempt> ready = new ArrayList<>();
      for (int d : s.dag.dependents(jobIndex)) {
        JobRun dep = s.jobs[d];
        if (dep.status == JobStatus.WAITING && dep.unmetDependencies == 1) {
          ready.add(new QueuedAttempt(s.dag.job(d).id(), s.nextAttemptId(d)));
        }
      }
      if (!ready.isEmpty()) {
        events.add(new JobsQueued(ready, now));
      }
    }
    if (s.unsettled == 1) {
      boolean allCompleted = s.count(JobStatus.COMPLETED) == s.dag.size() - 1;
      events.add(new Finished(allCompleted ? ExecutionStatus.COMPLETED : ExecutionStatus.FAILED, now));
    }
    return events;
  }

  /** Events after {@code jobIndex} failed for good: its waiting descendants are skipped; maybe the end. */
  static List<ExecutionEvent> afterFinalFailure(RunState s, int jobIndex, long now) {
    List<ExecutionEvent> events = new ArrayList<>(2);
    List<String> skipped = new ArrayList<>();
    for (int d : s.dag.descendants(jobIndex)) {
      JobStatus st = s.jobs[d].status;
      if (st == JobStatus.WAITING) {
        skipped.add(s.dag.job(d).id());
      }
    }
    if (!skipped.isEmpty()) {
      events.add(new JobsSkipped(skipped, s.dag.job(jobIndex).id(), now));
    }
    if (s.unsettled - 1 - skipped.size() == 0) {
      events.add(new Finished(ExecutionStatus.FAILED, now));
    }
    return events;
  }

  /**
   * Events cancelling one job, whatever unsettled status it has (waiting, queued, running, retrying): its waiting
   * descendants are skipped, and the execution ends when nothing is left, failed if a job failed, else cancelled.
   */
  static List<ExecutionEvent> cancelJob(RunState s, int jobIndex, long now) {
    List<ExecutionEvent> events = new ArrayList<>(3);
    JobRun j = s.jobs[jobIndex];
    String attemptId = j.status.inFlight() ? j.currentAttemptId : null;
    events.add(new JobCancelled(s.dag.job(jobIndex).id(), attemptId, now));
    List<String> skipped = new ArrayList<>();
    for (int d : s.dag.descendants(jobIndex)) {
      if (s.jobs[d].status == JobStatus.WAITING) {
        skipped.add(s.dag.job(d).id());
      }
    }
    if (!skipped.isEmpty()) {
      events.add(new JobsSkipped(skipped, s.dag.job(jobIndex).id(), now));
    }
    if (s.unsettled - 1 - skipped.size() == 0) {
      boolean anyFailed = s.count(JobStatus.FAILED) > 0;
      events.add(new Finished(anyFailed ? ExecutionStatus.FAILED : ExecutionStatus.CANCELLED, now));
    }
    return events;
  }

  /** Jobs a resumed execution can queue now: waiting with every dependency met, or retrying and due. */
  static List<QueuedAttempt> readyOnResume(RunState s, long now) {
    List<QueuedAttempt> ready = new ArrayList<>();
    for (int i = 0; i < s.jobs.length; i++) {
      JobRun j = s.jobs[i];
      boolean waitingReady = j.status == JobStatus.WAITING && j.unmetDependencies == 0;
      boolean retryDue = j.status == JobStatus.RETRYING && j.nextAttemptAt != null && j.nextAttemptAt <= now;
      if (waitingReady || retryDue) {
        ready.add(new QueuedAttempt(s.dag.job(i).id(), s.nextAttemptId(i)));
      }
    }
    return ready;
  }

  /** Failed, skipped and cancelled jobs go back to waiting; those whose dependencies are complete are queued. */
  static List<ExecutionEvent> retry(RunState s, long now) {
    Dag dag = s.dag;
    List<String> again = new ArrayList<>();
    boolean[] retried = new boolean[dag.size()];
    for (int i = 0; i < s.jobs.length; i++) {
      JobStatus st = s.jobs[i].status;
      if (st == JobStatus.FAILED || st == JobStatus.SKIPPED || st == JobStatus.CANCELLED) {
        again.add(dag.job(i).id());
        retried[i] = true;
      }
    }
    List<ExecutionEvent> events = new ArrayList<>(2);
    if (again.isEmpty()) {
      return events;
    }
    events.add(new Retried(again, now));
    List<QueuedAttempt> ready = new ArrayList<>();
    for (int i = 0; i < retried.length; i++) {
      if (retried[i] && s.unmetDependencies(i) == 0) {
        ready.add(new QueuedAttempt(dag.job(i).id(), s.nextAttemptId(i)));
      }
    }
    if (!ready.isEmpty()) {
      events.add(new JobsQueued(ready, now));
    }
    return events;
  }

  /** Every job that is not settled yet, for a cancel. */
  static List<String> unsettledJobs(RunState s) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < s.jobs.length; i++) {
      if (!s.jobs[i].status.settled()) {
        ids.add(s.dag.job(i).id());
      }
    }
    return ids;
  }

  /** Delay before the next attempt after the {@code failures}-th failure, or -1 when retries are exhausted. */
  static long retryDelay(io.gantry.dag.JobDefinition job, int failures) {
    return failures > job.maxRetries() ? -1 : job.backoff().delayMs(failures);
  }
}
