package io.gantry.execution;

import io.gantry.decision.Decision;
import io.gantry.execution.ExecutionEvent.*;
import java.util.ArrayList;
import java.util.List;

/**
 * The events that record the {@link io.gantry.decision.Decider}'s decisions, all at {@code at}. The only place that
 * knows both: the decider stays free of the journal, the events stay as stored.
 */
final class DecisionEvents {
  private DecisionEvents() {}

  static List<ExecutionEvent> of(List<Decision> decisions, long at) {
    List<ExecutionEvent> events = new ArrayList<>(decisions.size());
    addTo(events, decisions, at);
    return events;
  }

  /** Adds the events of {@code decisions} to {@code events} (no list of its own on the path of every report). */
  static void addTo(List<ExecutionEvent> events, List<Decision> decisions, long at) {
    for (Decision d : decisions) {
      events.add(of(d, at));
    }
  }

  /**
   * The failure of {@code attemptId}: its JobFailed carries the retry time the decider chose (none when it failed
   * for good), then come the steps that follow it.
   */
  static List<ExecutionEvent> failure(List<Decision> decisions, String attemptId, String error, String logs,
      boolean timedOut, long at) {
    List<ExecutionEvent> events = new ArrayList<>(decisions.size());
    for (Decision d : decisions) {
      if (d instanceof Decision.RetryAt r) {
        events.add(new JobFailed(r.jobId(), attemptId, error, logs, timedOut, r.at(), at));
      } else if (d instanceof Decision.FailForGood f) {
        events.add(new JobFailed(f.jobId(), attemptId, error, logs, timedOut, null, at));
      } else {
        events.add(of(d, at));
      }
    }
    return events;
  }

  static ExecutionEvent of(Decision d, long at) {
    if (d instanceof Decision.Queue q) {
      List<QueuedAttempt> attempts = new ArrayList<>(q.attempts().size());
      for (Decision.Attempt a : q.attempts()) {
        attempts.add(new QueuedAttempt(a.jobId(), a.attemptId()));
      }
      return new JobsQueued(attempts, at);
    } else if (d instanceof Decision.Skip s) {
      return new JobsSkipped(s.jobIds(), s.becauseOf(), at);
    } else if (d instanceof Decision.CancelJob c) {
      return new JobCancelled(c.jobId(), c.attemptId(), at);
    } else if (d instanceof Decision.CancelExecution c) {
      return new Cancelled(c.jobIds(), at);
    } else if (d instanceof Decision.Reopen r) {
      return new Retried(r.jobIds(), at);
    } else if (d instanceof Decision.Finish f) {
      return new Finished(f.status(), at);
    }
    throw new IllegalArgumentException(d + " is the outcome of a failure: record it with failure(...)");
  }
}
