package io.gantry.execution;

import io.gantry.execution.ExecutionEvent.*;
import io.gantry.metrics.GantryMetrics;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * What an Execution does about what it stored: tells to the registries of its pools, timers, writes to the
 * execution index, metrics, passivation. The command handlers call it only from {@code thenRun} (after the events
 * are stored, or after deciding to store nothing), and the recovery signal calls {@link #recovered}.
 */
final class ExecutionSideEffects {
  private final String executionId;
  private final ActorContext<Command> context;
  private final ExecutionSettings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final GantryMetrics metrics;
  private final RegistryMessages registries;
  private final ExecutionTimers timers;

  ExecutionSideEffects(String executionId, ActorContext<Command> context, ExecutionSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard, ExecutionTimers timers) {
    this.executionId = executionId;
    this.context = context;
    this.settings = settings;
    this.shard = shard;
    this.metrics = GantryMetrics.get(context.getSystem());
    this.registries = new RegistryMessages(executionId, settings);
    this.timers = timers;
  }

  RegistryMessages registries() {
    return registries;
  }

  ExecutionTimers timers() {
    return timers;
  }

  /**
   * Offers what got queued (one message per pool for all of {@code events}), arms retries, counts metrics, and
   * closes a run that finished.
   */
  void afterPersist(RunState st, List<ExecutionEvent> events) {
    List<QueuedAttempt> queued = null;
    for (ExecutionEvent e : events) {
      if (e instanceof JobsQueued q) {
        if (queued == null) {
          queued = q.attempts();
        } else {
          if (!(queued instanceof ArrayList)) {
            queued = new ArrayList<>(queued);
          }
          queued.addAll(q.attempts());
        }
      } else if (e instanceof JobStarted started) {
        JobRun j = st.job(started.jobId());
        metrics.attemptStarted(j.queuedAt != null ? j.queuedAt : started.at(), started.at());
      } else if (e instanceof JobSucceeded ok) {
        metrics.jobCompleted(ok.executionTimeMs());
        timers.jobCountsSoon();
      } else if (e instanceof AttemptLost) {
        metrics.attemptLost();
      } else if (e instanceof JobFailed f) {
        metrics.attemptFailed(f.retryAt() != null);
        if (f.retryAt() != null) {
          timers.retryAt(f.jobId(), f.retryAt());
        } else {
          timers.jobCountsSoon();
        }
      } else if (e instanceof JobCancelled || e instanceof Retried) {
        timers.jobCountsSoon();
      } else if (e instanceof Finished) {
        finished(st);
      }
    }
    if (queued != null) {
      registries.offer(st, queued);
    }
  }

  /** The run ended: the index learns it, timeouts stop, and the entity leaves memory once idle. */
  void finished(RunState st) {
    settings.index().recordStatus(executionId, st.status, st.completedAt);
    recordJobCounts(st);
    for (JobRun j : st.jobs) {
      if (j.currentAttemptId != null) {
        timers.cancelTimeout(j.currentAttemptId);
      }
    }
    timers.idleLater();
  }

  /**
   * The index's job counters (GET /queue/stats) learn how many of this execution's jobs are completed, failed and
   * cancelled now; the index keeps what it counted per execution, so writing the same counts again (a replay, a
   * restart) changes nothing.
   */
  void recordJobCounts(RunState st) {
    timers.cancelJobCounts();
    settings.index().recordJobCounts(executionId, st.count(JobStatus.COMPLETED), st.count(JobStatus.FAILED),
        st.count(JobStatus.CANCELLED));
  }

  /** A pause or a resume: the index shows the new status. */
  void recordStatus(RunState st) {
    settings.index().recordStatus(executionId, st.status, null);
  }

  /** A retry reopened the run: it is live again in the index. */
  void recordReopened(RunState st) {
    settings.index().recordReopened(executionId, st.status);
  }

  void armTimeout(RunState st, String jobId, String attemptId, long startedAt) {
    timers.armTimeout(jobId, attemptId, startedAt, st.dag.job(jobId).timeoutMs());
  }

  void attemptLost(String jobId, String attemptId, String reason) {
    context.getLog().info("attempt {} lost ({}); job {} runs again as a new attempt", attemptId, reason, jobId);
  }

  /** Attempts that must stop, grouped by pool (a cancel of the whole run). */
  void cancelOnWorkers(Map<String, List<String>> attemptsByPool) {
    attemptsByPool.forEach(registries::cancel);
  }

  /** A finished or never submitted execution leaves memory, through sharding so that a message arriving meanwhile is
   * buffered and starts the entity again. */
  void passivate() {
    if (shard != null) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }

  /** After recovery: an active run re-arms its retries and timeouts and re-sends its attempts; others idle out. */
  void recovered(Phase phase) {
    if (!(phase instanceof Phase.Empty)) {
      // What the index counted may be behind (a node died before the counts' write): writing them again is safe.
      recordJobCounts(phase.run());
    }
    if (!(phase instanceof Phase.Active active)) {
      timers.idleLater();
      return;
    }
    RunState s = active.run();
    for (int i = 0; i < s.jobs.length; i++) {
      JobRun j = s.jobs[i];
      String id = s.dag.job(i).id();
      if (j.status == JobStatus.RETRYING && j.nextAttemptAt != null) {
        timers.retryAt(id, j.nextAttemptAt);
      } else if (j.status == JobStatus.RUNNING && j.startedAt != null) {
        armTimeout(s, id, j.currentAttemptId, j.startedAt);
      }
    }
    registries.resendInFlight(s);
  }
}
