package io.gantry.worker;

import io.gantry.protocol.WorkerProtocol.RunningAttempt;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a cluster worker holds: attempts running, and finished ones whose result no Execution has acknowledged yet.
 * It lists both in every registration and heartbeat ({@link #holding()}), so the registry declares an attempt lost
 * only when its worker leaves it out, and a restarted registry adopts them back. Owned by the agent actor.
 */
final class WorkerHoldings {
  /** An attempt running on this worker since {@code startedAt}. */
  record Running(AttemptContext context, long startedAt) {}

  private final Map<String, Running> running = new HashMap<>();
  private final Map<String, AttemptResult> unacknowledged = new HashMap<>();
  /** When each unacknowledged result was last sent (or ended, before its first send). */
  private final Map<String, Long> sentAt = new HashMap<>();

  /** Whether the attempt runs here or its result waits for an answer (so a second Run of it is ignored). */
  boolean holds(String attemptId) {
    return running.containsKey(attemptId) || unacknowledged.containsKey(attemptId);
  }

  void started(AttemptContext context, long startedAt) {
    running.put(context.attemptId(), new Running(context, startedAt));
  }

  /** The running attempt, or null. */
  Running running(String attemptId) {
    return running.get(attemptId);
  }

  Collection<Running> runningAttempts() {
    return Collections.unmodifiableCollection(running.values());
  }

  int runningCount() {
    return running.size();
  }

  /** The attempt's handler returned: it runs no more. Answers it, or null when it was not running. */
  Running finished(String attemptId) {
    return running.remove(attemptId);
  }

  /** A result about to be sent to its Execution (at {@code at}), held until the Execution has decided on it. */
  void awaitAnswer(AttemptResult result, long at) {
    unacknowledged.put(result.attemptId(), result);
    sentAt.put(result.attemptId(), at);
  }

  /** The result was (again) sent at {@code at}. */
  void sent(String attemptId, long at) {
    if (unacknowledged.containsKey(attemptId)) {
      sentAt.put(attemptId, at);
    }
  }

  /** Results last sent before {@code before} and not acknowledged yet; each counts as sent now (no double queue). */
  List<AttemptResult> unacknowledgedSince(long before) {
    List<AttemptResult> due = new ArrayList<>();
    long now = System.currentTimeMillis();
    sentAt.forEach((attemptId, at) -> {
      if (at < before) {
        due.add(unacknowledged.get(attemptId));
      }
    });
    due.forEach(r -> sentAt.put(r.attemptId(), now));
    return due;
  }

  /** The Execution has decided on the attempt's result: this worker holds it no more. */
  void acknowledged(String attemptId) {
    unacknowledged.remove(attemptId);
    sentAt.remove(attemptId);
  }

  /** Every attempt held, as the registry is told: running ones, then results not yet acknowledged. */
  List<RunningAttempt> holding() {
    List<RunningAttempt> attempts = new ArrayList<>(running.size() + unacknowledged.size());
    running.values().forEach(r -> attempts.add(new RunningAttempt(r.context().attemptId(),
        r.context().executionId(), r.context().jobId())));
    unacknowledged.values().forEach(r -> attempts.add(new RunningAttempt(r.attemptId(), r.executionId(),
        r.jobId())));
    return attempts;
  }
}
