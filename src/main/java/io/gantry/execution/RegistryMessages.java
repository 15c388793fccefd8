package io.gantry.execution;

import io.gantry.dag.JobDefinition;
import io.gantry.execution.ExecutionEvent.QueuedAttempt;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.TrackedAttempt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What an Execution tells the registries of its jobs' pools: offers, tracking, withdrawals and cancels (all tells). */
final class RegistryMessages {
  private final String executionId;
  private final ExecutionSettings settings;

  RegistryMessages(String executionId, ExecutionSettings settings) {
    this.executionId = executionId;
    this.settings = settings;
  }

  /** Offers queued attempts (unless paused) and asks the registry to confirm running ones. */
  void resendInFlight(RunState s) {
    List<QueuedAttempt> queued = new ArrayList<>();
    Map<String, List<TrackedAttempt>> running = new HashMap<>();
    for (int i = 0; i < s.jobs.length; i++) {
      JobRun j = s.jobs[i];
      String id = s.dag.job(i).id();
      if (j.status == JobStatus.QUEUED) {
        queued.add(new QueuedAttempt(id, j.currentAttemptId));
      } else if (j.status == JobStatus.RUNNING) {
        running.computeIfAbsent(s.dag.job(i).pool(), p -> new ArrayList<>())
            .add(new TrackedAttempt(j.currentAttemptId, id, j.workerId, j.workerNode));
      }
    }
    offer(s, queued);
    running.forEach((pool, attempts) ->
        settings.registry(pool).tell(new RegistryProtocol.Track(executionId, attempts)));
  }

  /** Offers these attempts to their pools' registries, unless the execution is paused. */
  void offer(RunState s, List<QueuedAttempt> attempts) {
    if (s.status != ExecutionStatus.PAUSED && !attempts.isEmpty()) {
      Offers.byPool(s, attempts).forEach((pool, offers) ->
          settings.registry(pool).tell(new RegistryProtocol.Offer(offers)));
    }
  }

  /** Takes queued attempts back from the registries (the execution paused). */
  void withdrawQueued(RunState s) {
    Offers.attemptsByPool(s, JobStatus.QUEUED)
        .forEach((pool, ids) -> settings.registry(pool).tell(new RegistryProtocol.Withdraw(ids)));
  }

  /** Attempts of a job that must not run: out of the queue, or stopped on their worker. */
  void cancel(RunState s, String jobId, List<String> attemptIds) {
    JobDefinition d = s.exists() ? s.dag.job(jobId) : null;
    cancel(d != null ? d.pool() : "default", attemptIds);
  }

  void cancel(String pool, List<String> attemptIds) {
    settings.registry(pool).tell(new RegistryProtocol.CancelAttempts(attemptIds));
  }
}
