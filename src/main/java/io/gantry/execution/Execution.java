package io.gantry.execution;

import io.gantry.dag.Dag;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagValidationException;
import io.gantry.decision.Decider;
import io.gantry.decision.Decision;
import io.gantry.execution.ExecutionEvent.*;
import io.gantry.metrics.GantryMetrics;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionProtocol.Cancel;
import io.gantry.protocol.ExecutionProtocol.CancelJob;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.Forget;
import io.gantry.protocol.ExecutionProtocol.GetJob;
import io.gantry.protocol.ExecutionProtocol.GetResult;
import io.gantry.protocol.ExecutionProtocol.GetState;
import io.gantry.protocol.ExecutionProtocol.Internal;
import io.gantry.protocol.ExecutionProtocol.LinkCheckpoint;
import io.gantry.protocol.ExecutionProtocol.Pause;
import io.gantry.protocol.ExecutionProtocol.Reoffer;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportLost;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Resume;
import io.gantry.protocol.ExecutionProtocol.Retry;
import io.gantry.protocol.ExecutionProtocol.Stop;
import io.gantry.protocol.ExecutionProtocol.Submit;
import io.gantry.protocol.ExecutionProtocol.Wake;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.SubmitAccepted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One DAG run: the single source of truth for which of its jobs wait, are queued, run (as which attempt), and how
 * they ended. Event-sourced in the Redis journal and sharded by execution id, so it has exactly one writer.
 * It offers ready jobs to the registry of their pool, records what workers report for the current attempt only,
 * retries with backoff, enforces timeouts, and skips the descendants of jobs that failed for good.
 */
public final class Execution extends EventSourcedBehavior<ExecutionProtocol.Command, ExecutionEvent, RunState> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Execution");

  /**
   * Starts sharding of executions on this node: nodes with {@code role} host them, the others proxy to them. The
   * node's guardian calls it once, before anything messages an execution.
   */
  public static void initSharding(ActorSystem<?> system, ExecutionSettings settings, String role) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, ec -> create(ec.getEntityId(), settings, ec.getShard()))
        .withStopMessage(ExecutionProtocol.Stop.INSTANCE)
        .withRole(role));
  }

  /** Where an execution's events and snapshots are stored ({@code Execution|<id>}). */
  public static PersistenceId persistenceId(String executionId) {
    return PersistenceId.of(TYPE_KEY.name(), executionId);
  }

  private record RetryDue(String jobId) implements Internal {}

  private record AttemptTimedOut(String jobId, String attemptId) implements Internal {}

  private enum Idle implements Internal { INSTANCE }

  private final String executionId;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final ExecutionSettings settings;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final GantryMetrics metrics;
  private final RegistryMessages registries;
  /** The Dag validated by the submit command, reused by the event handler instead of being built again. */
  private Dag submittedDag;

  /** The entity of a sharded execution; {@code shard} passivates it once it is finished and idle. */
  public static Behavior<Command> create(String executionId, ExecutionSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        Behaviors.withMdc(Command.class, Map.of("executionId", executionId), Execution::mdcOf,
            new Execution(executionId, ctx, timers, settings, shard))));
  }

  private Execution(String executionId, ActorContext<Command> context, TimerScheduler<Command> timers,
      ExecutionSettings settings, ActorRef<ClusterSharding.ShardCommand> shard) {
    super(persistenceId(executionId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.executionId = executionId;
    this.context = context;
    this.timers = timers;
    this.settings = settings;
    this.shard = shard;
    this.metrics = GantryMetrics.get(context.getSystem());
    this.registries = new RegistryMessages(executionId, settings);
  }

  private static Map<String, String> mdcOf(Command c) {
    String jobId = null;
    String attemptId = null;
    if (c instanceof ReportStarted m) { jobId = m.jobId(); attemptId = m.attemptId(); }
    else if (c instanceof ReportProgress m) { jobId = m.jobId(); attemptId = m.attemptId(); }
    else if (c instanceof ReportFinished m) { jobId = m.jobId(); attemptId = m.attemptId(); }
    else if (c instanceof ReportLost m) { jobId = m.jobId(); attemptId = m.attemptId(); }
    if (jobId == null) {
      return Map.of();
    }
    return Map.of("jobId", jobId, "attemptId", attemptId);
  }

  @Override
  public RunState emptyState() {
    return new RunState(executionId);
  }

  @Override
  public EventHandler<RunState, ExecutionEvent> eventHandler() {
    return (state, event) -> {
      if (event instanceof Submitted s && submittedDag != null && submittedDag.document() == s.document()) {
        Dag built = submittedDag;
        submittedDag = null;
        return state.applySubmitted(s, built);
      }
      return state.apply(event);
    };
  }

  @Override
  public SnapshotAdapter<RunState> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(RunState state) {
        return ExecutionSnapshot.of(state);
      }

      @Override
      public RunState fromJournal(Object from) {
        return ((ExecutionSnapshot) from).toState();
      }
    };
  }

  @Override
  public boolean shouldSnapshot(RunState state, ExecutionEvent event, long sequenceNr) {
    // Big DAGs snapshot less often: a snapshot costs O(jobs), replaying an event O(1).
    long every = Math.max(settings.snapshotEvery(), state.exists() ? 2L * state.jobs.length : 0);
    return sequenceNr % every == 0;
  }

  @Override
  public SignalHandler<RunState> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
  }

  @Override
  public CommandHandler<Command, ExecutionEvent, RunState> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Submit.class, this::onSubmit)
        .onCommand(GetState.class, this::onGetState)
        .onCommand(GetJob.class, this::onGetJob)
        .onCommand(GetResult.class, this::onGetResult)
        .onCommand(ReportStarted.class, this::onStarted)
        .onCommand(ReportProgress.class, this::onProgress)
        .onCommand(ReportFinished.class, this::onFinished)
        .onCommand(ReportLost.class, this::onLost)
        .onCommand(AttemptTimedOut.class, this::onTimedOut)
        .onCommand(RetryDue.class, this::onRetryDue)
        .onCommand(Pause.class, this::onPause)
        .onCommand(Resume.class, this::onResume)
        .onCommand(Cancel.class, this::onCancel)
        .onCommand(CancelJob.class, this::onCancelJob)
        .onCommand(Retry.class, this::onRetry)
        .onCommand(LinkCheckpoint.class, this::onLinkCheckpoint)
        .onCommand(Wake.class, (s, c) -> Effect().none())
        .onCommand(Reoffer.class, (s, c) -> {
          if (s.exists() && !s.status.finished()) {
            registries.resendInFlight(s);
          }
          return Effect().none();
        })
        .onCommand(Idle.class, this::onIdle)
        .onCommand(Forget.class, (st, c) -> {
          onIdle(st, Idle.INSTANCE);
          return Effect().reply(c.replyTo(), Done.getInstance());
        })
        .onCommand(Stop.class, (st, c) -> Effect().stop())
        .build();
  }

  // ---- submit and queries

  private Effect<ExecutionEvent, RunState> onSubmit(RunState s, Submit c) {
    DagDocument doc = c.document().withExecutionId(executionId);
    if (s.exists()) {
      if (s.dag.document().equals(doc)) {
        return Effect().reply(c.replyTo(), StatusReply.success(
            new SubmitAccepted(executionId, s.dag.workflowId(), s.status, false)));
      }
      return Effect().reply(c.replyTo(), ErrorCode.CONFLICT.reply(
          "execution " + executionId + " already exists with a different document"));
    }
    Dag dag;
    try {
      dag = Dag.of(doc);
    } catch (DagValidationException e) {
      return Effect().reply(c.replyTo(), ErrorCode.INVALID_DAG.reply(e.getMessage()));
    }
    long now = System.currentTimeMillis();
    List<ExecutionEvent.QueuedAttempt> roots = new ArrayList<>();
    for (int i : dag.roots()) {
      roots.add(new ExecutionEvent.QueuedAttempt(dag.job(i).id(), AttemptIds.of(executionId, dag.job(i).id(), 1)));
    }
    JobsQueued queued = new JobsQueued(roots, now);
    submittedDag = dag;
    return Effect().persist(List.of(new Submitted(dag.document(), now), queued))
        .thenRun(st -> registries.offer(st, queued.attempts()))
        .thenReply(c.replyTo(), st -> StatusReply.success(
            new SubmitAccepted(executionId, st.dag.workflowId(), st.status, true)));
  }

  private Effect<ExecutionEvent, RunState> onGetState(RunState s, GetState c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), notFound());
    }
    return Effect().reply(c.replyTo(), StatusReply.success(ExecutionViews.state(s)));
  }

  private Effect<ExecutionEvent, RunState> onGetJob(RunState s, GetJob c) {
    int i = s.exists() ? s.dag.indexOf(c.jobId()) : -1;
    if (i < 0) {
      return Effect().reply(c.replyTo(), s.exists() ? jobNotFound(c.jobId()) : notFound());
    }
    return Effect().reply(c.replyTo(), StatusReply.success(ExecutionViews.job(s, i)));
  }

  private Effect<ExecutionEvent, RunState> onGetResult(RunState s, GetResult c) {
    int i = s.exists() ? s.dag.indexOf(c.jobId()) : -1;
    if (i < 0) {
      return Effect().reply(c.replyTo(), s.exists() ? jobNotFound(c.jobId()) : notFound());
    }
    JobStatus st = s.jobs[i].status;
    if (st != JobStatus.COMPLETED && st != JobStatus.FAILED) {
      return Effect().reply(c.replyTo(), ErrorCode.NOT_FOUND.reply(
          "job " + c.jobId() + " of execution " + executionId + " has no result yet (it is " + st.wireName() + ")"));
    }
    return Effect().reply(c.replyTo(), StatusReply.success(ExecutionViews.result(s, i)));
  }

  // ---- reports from workers and the registry

  private Effect<ExecutionEvent, RunState> onStarted(RunState s, ReportStarted c) {
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      // A worker runs an attempt that is no longer wanted (cancelled, timed out, superseded): stop it.
      registries.cancel(s, c.jobId(), List.of(c.attemptId()));
      return Effect().none();
    }
    if (s.job(c.jobId()).status != JobStatus.QUEUED) {
      return Effect().none();
    }
    JobStarted started = new JobStarted(c.jobId(), c.attemptId(), c.workerId(), c.workerNode(), c.at());
    return Effect().persist(started)
        .thenRun(st -> {
          armTimeout(st, c.jobId(), c.attemptId(), c.at());
          afterPersist(st, List.of(started));
        });
  }

  private Effect<ExecutionEvent, RunState> onProgress(RunState s, ReportProgress c) {
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      return replyMaybe(c.replyTo(), staleAttempt(c.attemptId()));
    }
    List<ExecutionEvent> events = new ArrayList<>(2);
    long now = System.currentTimeMillis();
    JobRun j = s.job(c.jobId());
    if (j.status == JobStatus.QUEUED) {
      events.add(new JobStarted(c.jobId(), c.attemptId(), j.workerId, j.workerNode, now));
    }
    events.add(new JobProgressed(c.jobId(), c.attemptId(), c.percent(), c.message(), c.checkpoint(), now));
    return Effect().persist(events).thenRun(st -> {
      afterPersist(st, events);
      if (c.replyTo() != null) {
        c.replyTo().tell(StatusReply.ack());
      }
    });
  }

  private Effect<ExecutionEvent, RunState> onFinished(RunState s, ReportFinished c) {
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      return replyMaybe(c.replyTo(), staleAttempt(c.attemptId()));
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
      events.addAll(DecisionEvents.of(Decider.afterSuccess(s, i), now));
    } else {
      events.addAll(failure(s, i, c.attemptId(), c.error(), c.logs(), false, now));
    }
    return Effect().persist(events).thenRun(st -> {
      timers.cancel(timeoutKey(c.attemptId()));
      afterPersist(st, events);
      if (c.replyTo() != null) {
        c.replyTo().tell(StatusReply.ack());
      }
    });
  }

  private Effect<ExecutionEvent, RunState> onLost(RunState s, ReportLost c) {
    if (!s.isCurrent(c.jobId(), c.attemptId())) {
      return Effect().none();
    }
    long now = System.currentTimeMillis();
    List<ExecutionEvent> events = new ArrayList<>(2);
    events.add(new AttemptLost(c.jobId(), c.attemptId(), c.reason(), now));
    events.addAll(DecisionEvents.of(Decider.afterLost(s, s.dag.indexOf(c.jobId())), now));
    context.getLog().info("attempt {} lost ({}); job {} runs again as a new attempt", c.attemptId(), c.reason(),
        c.jobId());
    return Effect().persist(events).thenRun(st -> {
      timers.cancel(timeoutKey(c.attemptId()));
      afterPersist(st, events);
    });
  }

  private Effect<ExecutionEvent, RunState> onTimedOut(RunState s, AttemptTimedOut c) {
    if (!s.isCurrent(c.jobId(), c.attemptId()) || s.job(c.jobId()).status != JobStatus.RUNNING) {
      return Effect().none();
    }
    int i = s.dag.indexOf(c.jobId());
    long now = System.currentTimeMillis();
    String error = "timed out after " + s.dag.job(i).timeoutMs() + " ms";
    List<ExecutionEvent> events = failure(s, i, c.attemptId(), error, null, true, now);
    String pool = s.dag.job(i).pool();
    return Effect().persist(events).thenRun(st -> {
      registries.cancel(pool, List.of(c.attemptId()));
      afterPersist(st, events);
    });
  }

  private Effect<ExecutionEvent, RunState> onRetryDue(RunState s, RetryDue c) {
    int i = s.exists() ? s.dag.indexOf(c.jobId()) : -1;
    List<ExecutionEvent> events = i < 0 ? List.of()
        : DecisionEvents.of(Decider.retryDue(s, i), System.currentTimeMillis());
    if (events.isEmpty()) {
      return Effect().none();
    }
    return Effect().persist(events).thenRun(st -> afterPersist(st, events));
  }

  /** The failure of an attempt: retry after the backoff, or fail for good and skip the descendants. */
  private List<ExecutionEvent> failure(RunState s, int i, String attemptId, String error, String logs,
      boolean timedOut, long now) {
    return DecisionEvents.failure(Decider.afterFailure(s, i, now), attemptId, error, logs, timedOut, now);
  }

  // ---- user commands

  private Effect<ExecutionEvent, RunState> onPause(RunState s, Pause c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), notFound());
    }
    if (!s.status.canBecome(ExecutionStatus.PAUSED)) {
      return Effect().reply(c.replyTo(), notAllowed("pause", s.status));
    }
    return Effect().persist(new Paused(System.currentTimeMillis()))
        .thenRun(st -> {
          registries.withdrawQueued(st);
          settings.index().recordStatus(executionId, st.status, null);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st)));
  }

  private Effect<ExecutionEvent, RunState> onResume(RunState s, Resume c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), notFound());
    }
    if (s.status != ExecutionStatus.PAUSED) {
      return Effect().reply(c.replyTo(), notAllowed("resume", s.status));
    }
    long now = System.currentTimeMillis();
    List<ExecutionEvent> events = new ArrayList<>(2);
    events.add(new Resumed(now));
    events.addAll(DecisionEvents.of(Decider.resume(s, now), now));
    return Effect().persist(events)
        .thenRun(st -> {
          registries.resendInFlight(st);
          settings.index().recordStatus(executionId, st.status, null);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st)));
  }

  private Effect<ExecutionEvent, RunState> onCancel(RunState s, Cancel c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), notFound());
    }
    if (!s.status.canBecome(ExecutionStatus.CANCELLED) || s.status.finished()) {
      return Effect().reply(c.replyTo(), notAllowed("cancel", s.status));
    }
    Map<String, List<String>> inFlightByPool = Offers.inFlightByPool(s);
    return Effect().persist(DecisionEvents.of(Decider.cancel(s), System.currentTimeMillis()))
        .thenRun(st -> {
          inFlightByPool.forEach(registries::cancel);
          finished(st);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st)));
  }

  private Effect<ExecutionEvent, RunState> onCancelJob(RunState s, CancelJob c) {
    int i = s.exists() ? s.dag.indexOf(c.jobId()) : -1;
    if (i < 0) {
      return Effect().reply(c.replyTo(), s.exists() ? jobNotFound(c.jobId()) : notFound());
    }
    JobRun j = s.jobs[i];
    if (j.status.settled()) {
      return Effect().reply(c.replyTo(), ErrorCode.CONFLICT.reply(
          "job " + c.jobId() + " is already " + j.status.wireName() + "; only unfinished jobs can be cancelled"));
    }
    List<Decision> next = Decider.cancelJob(s, i);
    if (next.get(0) instanceof Decision.CancelExecution) {
      return onCancel(s, new Cancel(c.replyTo()));
    }
    // One job of a larger DAG: it is cancelled and its waiting descendants skipped; the rest goes on.
    String attemptId = ((Decision.CancelJob) next.get(0)).attemptId();
    String pool = s.dag.job(i).pool();
    List<ExecutionEvent> events = DecisionEvents.of(next, System.currentTimeMillis());
    return Effect().persist(events)
        .thenRun(st -> {
          if (attemptId != null) {
            registries.cancel(pool, List.of(attemptId));
          }
          afterPersist(st, events);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st)));
  }

  private Effect<ExecutionEvent, RunState> onRetry(RunState s, Retry c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), notFound());
    }
    if (s.status == ExecutionStatus.PAUSED || s.status == ExecutionStatus.COMPLETED) {
      return Effect().reply(c.replyTo(), notAllowed("retry", s.status));
    }
    List<ExecutionEvent> events = DecisionEvents.of(Decider.retry(s), System.currentTimeMillis());
    if (events.isEmpty()) {
      return Effect().reply(c.replyTo(), ErrorCode.CONFLICT.reply(
          "execution " + executionId + " has no failed, skipped or cancelled job to retry"));
    }
    return Effect().persist(events)
        .thenRun(st -> {
          afterPersist(st, events);
          settings.index().recordReopened(executionId, st.status);
        })
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st)));
  }

  private Effect<ExecutionEvent, RunState> onLinkCheckpoint(RunState s, LinkCheckpoint c) {
    if (!s.exists()) {
      return Effect().reply(c.replyTo(), notFound());
    }
    return Effect().persist(new CheckpointLinked(c.checkpointId(), System.currentTimeMillis()))
        .thenReply(c.replyTo(), st -> StatusReply.success(ExecutionViews.state(st)));
  }

  private Effect<ExecutionEvent, RunState> onIdle(RunState s, Idle c) {
    if ((!s.exists() || s.status.finished()) && shard != null) {
      // Through sharding, so that a message arriving meanwhile is buffered and starts the entity again.
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
    return Effect().none();
  }

  // ---- side effects, run after the events are stored

  private void afterPersist(RunState st, List<ExecutionEvent> events) {
    for (ExecutionEvent e : events) {
      if (e instanceof JobsQueued q) {
        registries.offer(st, q.attempts());
      } else if (e instanceof JobStarted started) {
        JobRun j = st.job(started.jobId());
        metrics.attemptStarted(j.queuedAt != null ? j.queuedAt : started.at(), started.at());
      } else if (e instanceof JobSucceeded ok) {
        metrics.jobCompleted(ok.executionTimeMs());
      } else if (e instanceof AttemptLost) {
        metrics.attemptLost();
      } else if (e instanceof JobFailed f) {
        metrics.attemptFailed(f.retryAt() != null);
        if (f.retryAt() != null) {
          timers.startSingleTimer(retryKey(f.jobId()), new RetryDue(f.jobId()),
              Duration.ofMillis(Math.max(0, f.retryAt() - System.currentTimeMillis())));
        }
      } else if (e instanceof Finished) {
        finished(st);
      }
    }
  }

  private void finished(RunState st) {
    settings.index().recordStatus(executionId, st.status, st.completedAt);
    for (JobRun j : st.jobs) {
      if (j.currentAttemptId != null) {
        timers.cancel(timeoutKey(j.currentAttemptId));
      }
    }
    // Finished executions leave memory after a while; a later query recovers them from the journal.
    timers.startSingleTimer("idle", Idle.INSTANCE, settings.passivateFinishedAfter());
  }

  private void onRecovered(RunState s) {
    if (lastSequenceNumber(context) == 0 && s.exists()) {
      s.reset(); // what a previous life applied but could not store
    }
    if (!s.exists()) {
      timers.startSingleTimer("idle", Idle.INSTANCE, settings.passivateFinishedAfter());
      return;
    }
    if (s.status.finished()) {
      timers.startSingleTimer("idle", Idle.INSTANCE, settings.passivateFinishedAfter());
      return;
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < s.jobs.length; i++) {
      JobRun j = s.jobs[i];
      String id = s.dag.job(i).id();
      if (j.status == JobStatus.RETRYING && j.nextAttemptAt != null) {
        timers.startSingleTimer(retryKey(id), new RetryDue(id), Duration.ofMillis(Math.max(0, j.nextAttemptAt - now)));
      } else if (j.status == JobStatus.RUNNING && j.startedAt != null) {
        armTimeout(s, id, j.currentAttemptId, j.startedAt);
      }
    }
    registries.resendInFlight(s);
  }

  private void armTimeout(RunState s, String jobId, String attemptId, long startedAt) {
    long timeout = s.dag.job(jobId).timeoutMs();
    if (timeout > 0) {
      long left = Math.max(0, startedAt + timeout - System.currentTimeMillis());
      timers.startSingleTimer(timeoutKey(attemptId), new AttemptTimedOut(jobId, attemptId), Duration.ofMillis(left));
    }
  }

  private static String timeoutKey(String attemptId) {
    return "timeout:" + attemptId;
  }

  private static String retryKey(String jobId) {
    return "retry:" + jobId;
  }

  private <T> Effect<ExecutionEvent, RunState> replyMaybe(ActorRef<StatusReply<T>> replyTo, StatusReply<T> reply) {
    if (replyTo != null) {
      replyTo.tell(reply);
    }
    return Effect().none();
  }

  private <T> StatusReply<T> notFound() {
    return ErrorCode.NOT_FOUND.reply("execution " + executionId + " not found");
  }

  private <T> StatusReply<T> jobNotFound(String jobId) {
    return ErrorCode.NOT_FOUND.reply("execution " + executionId + " has no job " + jobId);
  }

  private <T> StatusReply<T> staleAttempt(String attemptId) {
    return ErrorCode.STALE_ATTEMPT.reply("attempt " + attemptId + " is no longer current for its job");
  }

  private <T> StatusReply<T> notAllowed(String what, ExecutionStatus status) {
    return ErrorCode.CONFLICT.reply("cannot " + what + " execution " + executionId + ": it is " + status.wireName());
  }
}
