package io.gantry.execution;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportLost;
import io.gantry.protocol.ExecutionProtocol.ReportProgress;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Stop;
import io.gantry.protocol.ExecutionProtocol.Wake;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One DAG run: the single source of truth for which of its jobs wait, are queued, run (as which attempt), and how
 * they ended. Event-sourced in the Redis journal and sharded by execution id, so it has exactly one writer.
 * It offers ready jobs to the registry of their pool, records what workers report for the current attempt only,
 * retries with backoff, enforces timeouts, and skips the descendants of jobs that failed for good.
 *
 * <p>Its state is a {@link Phase} (empty, active, finished) with one command handler class per phase; every command
 * gets its reply from the effect (enforced replies), events change the state only in {@link Phase#applied}, and
 * side effects ({@link ExecutionSideEffects}) run only after the events are stored or on recovery.
 */
public final class Execution extends EventSourcedBehaviorWithEnforcedReplies<Command, ExecutionEvent, Phase> {

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

  private final String executionId;
  private final int snapshotEvery;
  private final ExecutionSideEffects sideEffects;
  private final GroupCommit commit;
  private final ValidatedDag validated = new ValidatedDag();

  /** The entity of a sharded execution; {@code shard} passivates it once it is finished and idle. */
  public static Behavior<Command> create(String executionId, ExecutionSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        Behaviors.withMdc(Command.class, Map.of("executionId", executionId), Execution::mdcOf,
            new Execution(executionId, ctx, settings, shard,
                new ExecutionTimers(timers, settings.passivateFinishedAfter())))));
  }

  private Execution(String executionId, ActorContext<Command> context, ExecutionSettings settings,
      ActorRef<ClusterSharding.ShardCommand> shard, ExecutionTimers timers) {
    super(persistenceId(executionId),
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2));
    this.executionId = executionId;
    this.snapshotEvery = settings.snapshotEvery();
    this.sideEffects = new ExecutionSideEffects(executionId, context, settings, shard, timers);
    this.commit = new GroupCommit(context.getSelf(), sideEffects);
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
  public Phase emptyState() {
    return new Phase.Empty(executionId);
  }

  @Override
  public CommandHandlerWithReply<Command, ExecutionEvent, Phase> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, ExecutionEvent, Phase> builder = newCommandHandlerWithReplyBuilder();
    // Each phase's own handlers first; then what every submitted phase answers alike; then what any state does.
    new EmptyExecutionCommands(executionId, Effect(), sideEffects, validated).addTo(builder);
    new ActiveExecutionCommands(executionId, Effect(), sideEffects, commit).addTo(builder);
    new FinishedExecutionCommands(executionId, Effect(), sideEffects).addTo(builder);
    new SubmittedExecutionCommands(executionId, Effect(), sideEffects).addTo(builder);
    builder.forAnyState()
        .onCommand(Wake.class, c -> Effect().noReply())
        .onCommand(GroupCommit.Flush.class, c -> commit.flush(Effect()))
        .onCommand(Stop.class, c -> Effect().stop().thenNoReply());
    return builder.build();
  }

  @Override
  public EventHandler<Phase, ExecutionEvent> eventHandler() {
    return (phase, event) -> phase.applied(event, validated.takeFor(event));
  }

  @Override
  public SignalHandler<Phase> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), phase -> {
      sideEffects.recovered(phase);
      if (commit.recoveredAgain()) {
        // Restarted in place after a failed write: Pekko's stash can stop handing over what it holds then, so the
        // entity leaves through its shard and starts afresh on the next message (nothing is lost: see GroupCommit).
        sideEffects.passivate();
      }
    }).build();
  }

  /** Snapshots keep their stored form ({@link ExecutionSnapshot}); the phase follows from the run's status. */
  @Override
  public SnapshotAdapter<Phase> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(Phase state) {
        return ExecutionSnapshot.of(state instanceof Phase.Empty ? new RunState(executionId) : state.run());
      }

      @Override
      public Phase fromJournal(Object from) {
        return Phase.of(((ExecutionSnapshot) from).toState());
      }
    };
  }

  @Override
  public boolean shouldSnapshot(Phase state, ExecutionEvent event, long sequenceNr) {
    // Big DAGs snapshot less often: a snapshot costs O(jobs), replaying an event O(1).
    long jobs = state instanceof Phase.Empty ? 0 : state.run().jobs.length;
    long every = Math.max(snapshotEvery, 2L * jobs);
    return sequenceNr % every == 0;
  }
}
