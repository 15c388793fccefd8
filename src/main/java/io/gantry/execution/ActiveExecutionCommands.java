package io.gantry.execution;

import static io.gantry.execution.ExecutionReplies.alreadySettled;
import static io.gantry.execution.ExecutionReplies.jobNotFound;
import static io.gantry.execution.ExecutionReplies.notAllowed;
import static io.gantry.execution.ExecutionReplies.notItsAttempt;
import static io.gantry.execution.ExecutionReplies.staleAttempt;

import io.gantry.decision.Decider;
import io.gantry.decision.Decision;
import io.gantry.execution.ExecutionEvent.*;
import io.gantry.execution.ExecutionTimers.AttemptTimedOut;
import io.gantry.execution.ExecutionTimers.Idle;
import io.gantry.execution.ExecutionTimers.RetryDue;
import io.gantry.protocol.ExecutionProtocol.Cancel;
import io.gantry.protocol.ExecutionProtocol.CancelJob;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Forget;
import io.gantry.protocol.ExecutionProtocol.Pause;
import io.gantry.protocol.ExecutionProtocol.Reoffer;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportLost;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.ReportResults;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Resume;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The commands of an execution that is pending, running or paused: what workers and the registry report about its
 * current attempts (anything about another attempt is stale), its timers, and pause, resume and cancel.
 * Every handler decides from the state, stores events, and leaves the side effects to {@code thenRun}.
 */
final class ActiveExecutionCommands extends PhaseCommands {
  private final GroupCommit commit;

  ActiveExecutionCommands(String executionId, EffectFactories<ExecutionEvent, Phase> effects,
      ExecutionSideEffects sideEffects, GroupCommit commit) {
    super(executionId, effects, sideEffects);
    this.commit = commit;
  }

  @Override
  void addTo(CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder) {
    // Reports go through the group commit; while it holds reports, anything else waits for their write.
    builder.forStateType(Phase.Active.class)
        .onCommand(ReportStarted.class, (p, c) -> onStarted(p, c))
        .onCommand(ReportProgress.class, (p, c) -> onProgress(p, c))
        .onCommand(ReportFinished.class, (p, c) -> onFinished(p, c))
        .onCommand(ReportResults.class, (p, c) -> onResults(p, c))
        .onCommand(ReportLost.class, (p, c) -> onLost(p, c))
        .onCommand(AttemptTimedOut.class, (p, c) -> onTimedOut(p, c))
        .onCommand(RetryDue.class, (p, c) -> onRetryDue(p, c))
        .onCommand(GroupCommit.Flush.class, c -> commit.flush(effects));
    builder.forState(p -> commit.holdsReports())
        .onAnyCommand(c -> commit.stash(effects));
    builder.forStateType(Phase.Active.class)
        .onCommand(Pause.class, (p, c) -> onPause(p.run(), c))
        .onCommand(Resume.class, (p, c) -> onResume(p.run(), c))
        .onCommand(Cancel.class, (p, c) -> onCancel(p.run(), c))
        .onCommand(CancelJob.class, (p, c) -> onCancelJob(p.run(), c))
        .onCommand(Reoffer.class, (p, c) -> effects.none()
            .thenRun(st -> sideEffects.registries().resendInFlight(st.run()))
            .thenNoReply())
        // An unfinished execution stays in memory: it has work to watch.
        .onCommand(Idle.class, c -> effects.noReply())
        .onCommand(Forget.class, c -> effects.reply(c.replyTo(), Done.getInstance()));
  }

  // ---- reports from workers and the registry, decided against the state with the batch's earlier reports in it

  private ReplyEffect<ExecutionEvent, Phase> onStarted(Phase.Active p, ReportStarted c) {
    RunState s = p.run();
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      // A worker runs an attempt that is no longer wanted (cancelled, timed out, superseded): stop it.
      return commit.record(effects, p, List.of(),
          st -> sideEffects.registries().cancel(st, c.jobId(), List.of(c.attemptId())));
    }
    if (s.job(c.jobId()).status != JobStatus.QUEUED) {
      return commit.record(effects, p, List.of(), null);
    }
    return commit.record(effects, p,
        List.of(new JobStarted(c.jobId(), c.attemptId(), c.workerId(), c.workerNode(), c.at())),
        st -> sideEffects.armTimeout(st, c.jobId(), c.attemptId(), c.at()));
  }

  private ReplyEffect<ExecutionEvent, Phase> onProgress(Phase.Active p, ReportProgress c) {
    RunState s = p.run();
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      return commit.record(effects, p, List.of(), answer(c.replyTo(), staleAttempt(c.attemptId())));
    }
    String runsOn = otherWorker(s, c.jobId(), c.workerId());
    if (runsOn != null) {
      return commit.record(effects, p, List.of(),
          answer(c.replyTo(), notItsAttempt(c.attemptId(), runsOn, c.workerId())));
    }
    List<ExecutionEvent> events = new ArrayList<>(2);
    long now = System.currentTimeMillis();
    JobRun j = s.job(c.jobId());
    if (j.status == JobStatus.QUEUED) {
      events.add(new JobStarted(c.jobId(), c.attemptId(), j.workerId, j.workerNode, now));
    }
    events.add(new JobProgressed(c.jobId(), c.attemptId(), c.percent(), c.message(), c.checkpoint(), now,
        c.logs()));
    return commit.record(effects, p, events, answer(c.replyTo(), StatusReply.ack()));
  }

  private ReplyEffect<ExecutionEvent, Phase> onFinished(Phase.Active p, ReportFinished c) {
    GroupCommit.Decided d = decideFinished(p, c);
    return commit.record(effects, p, d.events(), d.after());
  }

  /** Results told many per message by a cluster worker: decided one by one, acknowledged in one message. */
  private ReplyEffect<ExecutionEvent, Phase> onResults(Phase.Active p, ReportResults c) {
    return commit.recordAll(effects, p, c.results(), c.ackTo(), this::decideFinished);
  }

  private GroupCommit.Decided decideFinished(Phase.Active p, ReportFinished c) {
    RunState s = p.run();
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      return new GroupCommit.Decided(List.of(), answer(c.replyTo(), staleAttempt(c.attemptId())));
    }
    String runsOn = otherWorker(s, c.jobId(), c.workerId());
    if (runsOn != null) {
      return new GroupCommit.Decided(List.of(),
          answer(c.replyTo(), notItsAttempt(c.attemptId(), runsOn, c.workerId())));
    }
    int i = s.dag.indexOf(c.jobId());
    long now = System.currentTimeMillis();
    List<ExecutionEvent> events = new ArrayList<>(4);
    if (s.jobs[i].status == JobStatus.QUEUED) {
      events.add(new JobStarted(c.jobId(), c.attemptId(), c.workerId(), s.jobs[i].workerNode, c.startedAt()));
    }
    long took = Math.max(0, c.finishedAt() - c.startedAt());
    if (c.success()) {
      events.add(new JobSucceeded(c.jobId(), c.attemptId(), c.output(), c.logs(), took, now));
      DecisionEvents.addTo(events, Decider.afterSuccess(s, i), now);
    } else {
      events.addAll(failure(s, i, c.attemptId(), c.error(), c.logs(), false, now));
    }
    ActorRef<StatusReply<Done>> replyTo = c.replyTo();
    String attemptId = c.attemptId();
    return new GroupCommit.Decided(events, st -> {
      sideEffects.timers().cancelTimeout(attemptId);
      if (replyTo != null) {
        replyTo.tell(StatusReply.ack());
      }
    });
  }

  /** Tells {@code reply} to {@code replyTo} after the write, unless no one asked. */
  private static <T> Consumer<RunState> answer(ActorRef<StatusReply<T>> replyTo, StatusReply<T> reply) {
    return replyTo == null ? null : st -> replyTo.tell(reply);
  }

  /**
   * The worker the job's current attempt runs on when that is not {@code reporter} (null when it is, when the attempt
   * has not started yet, or when the report names no worker): a worker reports only for what it was handed.
   */
  private static String otherWorker(RunState s, String jobId, String reporter) {
    JobRun j = s.job(jobId);
    return reporter != null && j.status == JobStatus.RUNNING && j.workerId != null && !j.workerId.equals(reporter)
        ? j.workerId : null;
  }

  private ReplyEffect<ExecutionEvent, Phase> onLost(Phase.Active p, ReportLost c) {
    RunState s = p.run();
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      return commit.record(effects, p, List.of(), null);
    }
    long now = System.currentTimeMillis();
    List<ExecutionEvent> events = new ArrayList<>(2);
    events.add(new AttemptLost(c.jobId(), c.attemptId(), c.reason(), now));
    DecisionEvents.addTo(events, Decider.afterLost(s, s.dag.indexOf(c.jobId())), now);
    return commit.record(effects, p, events, st -> {
      sideEffects.attemptLost(c.jobId(), c.attemptId(), c.reason());
      sideEffects.timers().cancelTimeout(c.attemptId());
    });
  }

  private ReplyEffect<ExecutionEvent, Phase> onTimedOut(Phase.Active p, AttemptTimedOut c) {
    RunState s = p.run();
    if (!s.isCurrent(c.jobId(), c.attemptId()) || s.job(c.jobId()).status != JobStatus.RUNNING
        || sideEffects.timers().early(c)) {
      return commit.record(effects, p, List.of(), null);
    }
    int i = s.dag.indexOf(c.jobId());
    long now = System.currentTimeMillis();
    String error = "timed out after " + s.dag.job(i).timeoutMs() + " ms";
    List<ExecutionEvent> events = failure(s, i, c.attemptId(), error, null, true, now);
    String pool = s.dag.job(i).pool();
    return commit.record(effects, p, events, st -> sideEffects.registries().cancel(pool, List.of(c.attemptId())));
  }

  private ReplyEffect<ExecutionEvent, Phase> onRetryDue(Phase.Active p, RetryDue c) {
    RunState s = p.run();
    if (sideEffects.timers().early(c)) {
      return commit.record(effects, p, List.of(), null);
    }
    int i = s.dag.indexOf(c.jobId());
    List<ExecutionEvent> events = i < 0 ? List.of()
        : DecisionEvents.of(Decider.retryDue(s, i), System.currentTimeMillis());
    return commit.record(effects, p, events, null);
  }

  /** The failure of an attempt: retry after the backoff, or fail for good and skip the descendants. */
  private static List<ExecutionEvent> failure(RunState s, int i, String attemptId, String error, String logs,
      boolean timedOut, long now) {
    return DecisionEvents.failure(Decider.afterFailure(s, i, now), attemptId, error, logs, timedOut, now);
  }

  // ---- user commands

  private ReplyEffect<ExecutionEvent, Phase> onPause(RunState s, Pause c) {
    if (!s.status.canBecome(ExecutionStatus.PAUSED)) {
      return effects.reply(c.replyTo(), notAllowed(executionId, "pause", s.status));
    }
    return effects.persist(new Paused(System.currentTimeMillis(), c.by()))
        .thenRun(st -> {
          sideEffects.registries().withdrawQueued(st.run());
          sideEffects.recordStatus(st.run());
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }

  private ReplyEffect<ExecutionEvent, Phase> onResume(RunState s, Resume c) {
    if (s.status != ExecutionStatus.PAUSED) {
      return effects.reply(c.replyTo(), notAllowed(executionId, "resume", s.status));
    }
    long now = System.currentTimeMillis();
    List<ExecutionEvent> events = new ArrayList<>(2);
    events.add(new Resumed(now, c.by()));
    events.addAll(DecisionEvents.of(Decider.resume(s, now), now));
    return effects.persist(events)
        .thenRun(st -> {
          sideEffects.registries().resendInFlight(st.run());
          sideEffects.recordStatus(st.run());
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }

  /** Every unsettled job is cancelled and the attempts offered or running are stopped on their workers. */
  private ReplyEffect<ExecutionEvent, Phase> onCancel(RunState s, Cancel c) {
    Map<String, List<String>> inFlightByPool = Offers.inFlightByPool(s);
    List<ExecutionEvent> events = AuditTrail.stamped(c.by(), DecisionEvents.of(Decider.cancel(s),
        System.currentTimeMillis()));
    return effects.persist(events)
        .thenRun(st -> {
          sideEffects.cancelOnWorkers(inFlightByPool);
          sideEffects.finished(st.run());
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }

  private ReplyEffect<ExecutionEvent, Phase> onCancelJob(RunState s, CancelJob c) {
    int i = s.dag.indexOf(c.jobId());
    if (i < 0) {
      return effects.reply(c.replyTo(), jobNotFound(executionId, c.jobId()));
    }
    JobRun j = s.jobs[i];
    if (j.status.settled()) {
      return effects.reply(c.replyTo(), alreadySettled(c.jobId(), j.status));
    }
    List<Decision> next = Decider.cancelJob(s, i);
    if (next.get(0) instanceof Decision.CancelExecution) {
      return onCancel(s, new Cancel(c.by(), c.replyTo()));
    }
    // One job of a larger DAG: it is cancelled and its waiting descendants skipped; the rest goes on.
    String attemptId = ((Decision.CancelJob) next.get(0)).attemptId();
    String pool = s.dag.job(i).pool();
    List<ExecutionEvent> events = AuditTrail.stamped(c.by(), DecisionEvents.of(next, System.currentTimeMillis()));
    return effects.persist(events)
        .thenRun(st -> {
          if (attemptId != null) {
            sideEffects.registries().cancel(pool, List.of(attemptId));
          }
          sideEffects.afterPersist(st.run(), events);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st.run())));
  }
}
