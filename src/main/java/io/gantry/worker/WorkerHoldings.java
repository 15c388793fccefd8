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

  /** A result sent to its Execution, held until the Execution has decided on it. */
  void awaitAnswer(AttemptResult result) {
    unacknowledged.put(result.attemptId(), result);
  }

  /** The result of the attempt that waits for an answer, or null. */
  AttemptResult awaiting(String attemptId) {
    return unacknowledged.get(attemptId);
  }

  /** The Execution has decided on the attempt's result: this worker holds it no more. */
  void acknowledged(String attemptId) {
    unacknowledged.remove(attemptId);
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
