package io.gantry.decision;

import io.gantry.dag.Dag;
import io.gantry.dag.JobDefinition;
import io.gantry.decision.Decision.*;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What runs next: pure functions from a view of the run, as it is before a change is recorded, to the steps that
 * must follow the change (jobs to queue, retry or skip, the execution's end and its status). They never modify the
 * view and know nothing of actors or the journal; the Execution records what they return.
 */
public final class Decider {
  private Decider() {}

  /** After {@code job} succeeded: dependents whose last dependency it was are queued (unless paused); maybe the end. */
  public static List<Decision> afterSuccess(RunView run, int job) {
    List<Decision> next = new ArrayList<>(2);
    if (run.status() != ExecutionStatus.PAUSED) {
      List<Attempt> ready = new ArrayList<>();
      for (int d : run.dag().dependents(job)) {
        if (run.jobStatus(d) == JobStatus.WAITING && run.unmetDependencies(d) == 1) {
          ready.add(attempt(run, d));
        }
      }
      if (!ready.isEmpty()) {
        next.add(new Queue(ready));
      }
    }
    if (run.unsettled() == 1) {
      boolean allCompleted = run.count(JobStatus.COMPLETED) == run.dag().size() - 1;
      next.add(new Finish(allCompleted ? ExecutionStatus.COMPLETED : ExecutionStatus.FAILED));
    }
    return next;
  }

  /**
   * After an attempt of {@code job} failed or timed out at {@code now}: it is retried after its backoff while its
   * {@code maxRetries} allow, else it fails for good, its waiting descendants are skipped, and maybe the run ends.
   */
  public static List<Decision> afterFailure(RunView run, int job, long now) {
    JobDefinition definition = run.dag().job(job);
    int failures = run.failures(job) + 1;
    if (failures <= definition.maxRetries()) {
      long delay = definition.backoff().delayMs(failures);
      // saturated: a backoff of Long.MAX_VALUE ms (the document allows it) must not wrap to a time in the past
      return List.of(new RetryAt(definition.id(), delay > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + delay));
    }
    List<Decision> next = new ArrayList<>(3);
    next.add(new FailForGood(definition.id()));
    int skipped = skipWaitingDescendants(run, job, next);
    if (run.unsettled() - 1 - skipped == 0) {
      next.add(new Finish(ExecutionStatus.FAILED));
    }
    return next;
  }

  /**
   * After the worker of {@code job}'s current attempt was lost: the job runs again at once as a new attempt (later
   * on resume when paused). It is not a failure: it spends none of the job's retries.
   */
  public static List<Decision> afterLost(RunView run, int job) {
    if (run.status() == ExecutionStatus.PAUSED) {
      return List.of();
    }
    return List.of(new Queue(List.of(attempt(run, job))));
  }

  /** A retrying job's backoff has passed: it gets its next attempt, unless the run is paused or it moved on. */
  public static List<Decision> retryDue(RunView run, int job) {
    if (run.jobStatus(job) != JobStatus.RETRYING || run.status() == ExecutionStatus.PAUSED) {
      return List.of();
    }
    return List.of(new Queue(List.of(attempt(run, job))));
  }

  /** On resume at {@code now}: jobs waiting with every dependency met, and retrying jobs that are due, are queued. */
  public static List<Decision> resume(RunView run, long now) {
    List<Attempt> ready = new ArrayList<>();
    for (int i = 0; i < run.dag().size(); i++) {
      JobStatus st = run.jobStatus(i);
      Long due = run.nextAttemptAt(i);
      boolean waitingReady = st == JobStatus.WAITING && run.unmetDependencies(i) == 0;
      boolean retryDue = st == JobStatus.RETRYING && due != null && due <= now;
      if (waitingReady || retryDue) {
        ready.add(attempt(run, i));
      }
    }
    return ready.isEmpty() ? List.of() : List.of(new Queue(ready));
  }

  /** Cancelling the execution: every job not settled yet is cancelled, and the run ends cancelled. */
  public static List<Decision> cancel(RunView run) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < run.dag().size(); i++) {
      if (!run.jobStatus(i).settled()) {
        ids.add(run.dag().job(i).id());
      }
    }
    return List.of(new CancelExecution(ids));
  }

  /**
   * Cancelling one job, whatever unsettled status it has: when it is the last unsettled job and none failed, the
   * whole execution is cancelled; otherwise the job is cancelled, its waiting descendants skipped, and when nothing is left the run
   * ends failed if a job failed, else cancelled. A settled job has nothing to cancel.
   */
  public static List<Decision> cancelJob(RunView run, int job) {
    JobStatus st = run.jobStatus(job);
    if (st.settled()) {
      return List.of();
    }
    boolean anyFailed = run.count(JobStatus.FAILED) > 0;
    if (run.unsettled() == 1 && !anyFailed) {
      return cancel(run);
    }
    List<Decision> next = new ArrayList<>(3);
    next.add(new CancelJob(run.dag().job(job).id(), st.inFlight() ? run.currentAttemptId(job) : null));
    int skipped = skipWaitingDescendants(run, job, next);
    if (run.unsettled() - 1 - skipped == 0) {
      next.add(new Finish(anyFailed ? ExecutionStatus.FAILED : ExecutionStatus.CANCELLED));
    }
    return next;
  }

  /**
   * Retrying the execution: failed, skipped and cancelled jobs go back to waiting, and those whose dependencies
   * are all complete are queued. Empty when there is nothing to retry.
   */
  public static List<Decision> retry(RunView run) {
    Dag dag = run.dag();
    List<String> again = new ArrayList<>();
    List<Attempt> ready = new ArrayList<>();
    for (int i = 0; i < dag.size(); i++) {
      JobStatus st = run.jobStatus(i);
      if (st == JobStatus.FAILED || st == JobStatus.SKIPPED || st == JobStatus.CANCELLED) {
        again.add(dag.job(i).id());
        if (allDependenciesCompleted(run, i)) {
          ready.add(attempt(run, i));
        }
      }
    }
    if (again.isEmpty()) {
      return List.of();
    }
    return ready.isEmpty() ? List.of(new Reopen(again)) : List.of(new Reopen(again), new Queue(ready));
  }

  /**
   * Retrying some jobs (each failed, skipped or cancelled): they and their skipped descendants go back to waiting
   * with a fresh retry budget, and those whose dependencies are all complete are queued; other jobs are untouched.
   */
  public static List<Decision> retryJobs(RunView run, List<Integer> jobs) {
    Dag dag = run.dag();
    Set<Integer> again = new TreeSet<>(jobs);
    for (int job : jobs) {
      for (int d : dag.descendants(job)) {
        if (run.jobStatus(d) == JobStatus.SKIPPED) {
          again.add(d);
        }
      }
    }
    List<String> ids = new ArrayList<>(again.size());
    List<Attempt> ready = new ArrayList<>();
    for (int i : again) {
      ids.add(dag.job(i).id());
      if (allDependenciesCompleted(run, i)) {
        ready.add(attempt(run, i));
      }
    }
    return ready.isEmpty() ? List.of(new Reopen(ids)) : List.of(new Reopen(ids), new Queue(ready));
  }

  private static Attempt attempt(RunView run, int job) {
    return new Attempt(run.dag().job(job).id(), run.nextAttemptId(job));
  }

  /** Adds a Skip of the job's waiting descendants to {@code next}; returns how many. */
  private static int skipWaitingDescendants(RunView run, int job, List<Decision> next) {
    if (run.dag().dependents(job).length == 0) {
      return 0; // the common case (independent jobs): no O(jobs) walk of the graph
    }
    List<String> skipped = new ArrayList<>();
    for (int d : run.dag().descendants(job)) {
      if (run.jobStatus(d) == JobStatus.WAITING) {
        skipped.add(run.dag().job(d).id());
      }
    }
    if (!skipped.isEmpty()) {
      next.add(new Skip(skipped, run.dag().job(job).id()));
    }
    return skipped.size();
  }

  /** Counted from the statuses, as the event handler counts them when it reopens the job. */
  private static boolean allDependenciesCompleted(RunView run, int job) {
    for (int d : run.dag().dependencies(job)) {
      if (run.jobStatus(d) != JobStatus.COMPLETED) {
        return false;
      }
    }
    return true;
  }
}
