package io.gantry.registry;

import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol.AttemptEnded;
import io.gantry.protocol.RegistryProtocol.CancelAttempts;
import io.gantry.protocol.RegistryProtocol.Command;
import io.gantry.protocol.RegistryProtocol.Deregister;
import io.gantry.protocol.RegistryProtocol.Drain;
import io.gantry.protocol.RegistryProtocol.Explain;
import io.gantry.protocol.RegistryProtocol.Explanation;
import io.gantry.protocol.RegistryProtocol.GetStats;
import io.gantry.protocol.RegistryProtocol.GetWorker;
import io.gantry.protocol.RegistryProtocol.GetWorkers;
import io.gantry.protocol.RegistryProtocol.Heartbeat;
import io.gantry.protocol.RegistryProtocol.Internal;
import io.gantry.protocol.RegistryProtocol.Offer;
import io.gantry.protocol.RegistryProtocol.PauseQueue;
import io.gantry.protocol.RegistryProtocol.Poll;
import io.gantry.protocol.RegistryProtocol.Register;
import io.gantry.protocol.RegistryProtocol.Registered;
import io.gantry.protocol.RegistryProtocol.ResumeQueue;
import io.gantry.protocol.RegistryProtocol.Track;
import io.gantry.protocol.RegistryProtocol.Withdraw;
import io.gantry.protocol.RegistryProtocol.Workers;
import io.gantry.protocol.WorkerInfo;
import io.gantry.registry.AttemptDispatch.Shared;
import io.gantry.registry.AttemptDispatch.Tick;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.ClusterQueueSettings;
import io.gantry.registry.cluster.ClusterQueueStore;
import io.gantry.registry.cluster.ConcurrencyKeys;
import io.gantry.registry.cluster.SharedPause;
import io.gantry.registry.scheduling.BlockReason;
import io.gantry.registry.scheduling.PoolScheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;

/**
 * The registry of one worker pool (a sharded entity whose id is the pool name): the pool's workers, its queue of
 * offered attempts and which worker runs what. Its state is soft: nothing here is persisted. Executions offer their
 * queued attempts again when it restarts, and workers re-register with the attempts they run. What holds across
 * pools and restarts lives in Redis: the queue's pause flag and the concurrency keys' locks ({@link SharedPause},
 * {@link ConcurrencyKeys}).
 *
 * <p>One actor, its work split by concern: {@link WorkerMembership} (registration, expiry, cluster membership),
 * {@link LongPolls} (HTTP workers' polls), {@link AttemptDispatch} (queue, assignment, concurrency keys),
 * {@link QueueControl} (pause, resume, drain) and {@link WorkerViews} (what it shows).
 */
public final class WorkerRegistry extends AbstractBehavior<Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "WorkerRegistry");

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Internal {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Internal {}

  private final String pool;
  private final RegistrySettings settings;
  private final TimerScheduler<Command> timers;
  private final Map<String, WorkerEntry> workers = new LinkedHashMap<>();
  private final PoolScheduler scheduler;
  private final HeldAttempts held;
  private final LongPolls polls;
  private final AttemptDispatch dispatch;
  private final WorkerMembership membership;
  private final QueueControl queue;
  private final WorkerViews views;
  private final long startedAt = System.currentTimeMillis();

  /**
   * Starts sharding of the pools' registries on this node: nodes with {@code role} host them, the others proxy to
   * them. The node's guardian calls it once; {@code requestOffers} as for {@link #create}.
   */
  public static void initSharding(ActorSystem<?> system, String role, RegistrySettings settings,
      ClusterQueueSettings shared, ClusterQueueStore store,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions, Runnable requestOffers) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY,
            ec -> create(ec.getEntityId(), settings, shared, store, executions, requestOffers))
        .withRole(role));
  }

  /**
   * A registry entity of one pool. {@code requestOffers} asks every unfinished execution to offer its queued attempts
   * again (and to have its running ones tracked): a new incarnation starts with an empty queue.
   */
  static Behavior<Command> create(String pool, RegistrySettings settings, ClusterQueueSettings shared,
      ClusterQueueStore store, Function<String, RecipientRef<ExecutionProtocol.Command>> executions,
      Runnable requestOffers) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      requestOffers.run();
      return Behaviors.withMdc(Command.class, Map.of("pool", pool), new WorkerRegistry(ctx, pool, settings, shared,
          store, timers, executions));
    }));
  }

  private WorkerRegistry(ActorContext<Command> context, String pool, RegistrySettings settings,
      ClusterQueueSettings shared, ClusterQueueStore store, TimerScheduler<Command> timers,
      Function<String, RecipientRef<ExecutionProtocol.Command>> executions) {
    super(context);
    this.pool = pool;
    this.settings = settings;
    this.timers = timers;
    Consumer<CompletionStage<ClusterAnswer>> pipe = stage -> context.pipeToSelf(stage,
        (answer, e) -> new Shared(answer)); // the stages never fail: errors are answers
    ConcurrencyKeys keys = new ConcurrencyKeys(store, shared, pipe);
    this.scheduler = new PoolScheduler(settings.aging().toMillis(), settings.rateLimitPerSecond());
    // An attempt this registry did not assign is lost: the lock of its concurrency key, if it holds one, is freed.
    this.held = new HeldAttempts(executions,
        attemptId -> keys.lost(attemptId).ifPresent(key -> scheduler.releaseKey(key, attemptId)),
        new NodeMembership(context.getSystem()));
    this.polls = new LongPolls(scheduler, timers);
    this.dispatch = new AttemptDispatch(scheduler, workers, held, keys, polls, timers, shared.keyRetry());
    this.membership = new WorkerMembership(workers, settings, scheduler, held, keys, dispatch, polls, executions,
        context.getLog());
    this.queue = new QueueControl(pool, scheduler, new SharedPause(store, pool, pipe), shared.refresh(), executions,
        context.getSystem(), context.getLog());
    this.views = new WorkerViews(pool, settings, scheduler, dispatch.running());
    Cluster cluster = Cluster.get(context.getSystem());
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        context.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
        ClusterEvent.ReachabilityEvent.class));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.tick());
    context.getLog().info("worker registry of pool '{}' started", pool);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Offer.class, this::onOffer)
        .onMessage(Track.class, this::onTrack)
        .onMessage(Withdraw.class, this::onWithdraw)
        .onMessage(CancelAttempts.class, this::onCancelAttempts)
        .onMessage(AttemptEnded.class, this::onAttemptEnded)
        .onMessage(Register.class, this::onRegister)
        .onMessage(Heartbeat.class, this::onHeartbeat)
        .onMessage(Deregister.class, this::onDeregister)
        .onMessage(Poll.class, this::onPoll)
        .onMessage(LongPolls.Expired.class, this::onPollExpired)
        .onMessage(GetWorkers.class, this::onGetWorkers)
        .onMessage(GetWorker.class, this::onGetWorker)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Explain.class, this::onExplain)
        .onMessage(PauseQueue.class, this::onPauseQueue)
        .onMessage(ResumeQueue.class, this::onResumeQueue)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(Tick.class, this::onTick)
        .onMessage(MemberChanged.class, this::onMemberChanged)
        .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
        .onMessage(Shared.class, this::onShared)
        .build();
  }

  // ---- attempts

  private Behavior<Command> onOffer(Offer m) {
    dispatch.offer(m.offers());
    dispatch.dispatch();
    return this;
  }

  private Behavior<Command> onTrack(Track m) {
    // A new incarnation gives workers the grace to re-register; an older one knows its workers.
    long deadline = Math.max(System.currentTimeMillis(), startedAt + settings.orphanGrace().toMillis());
    dispatch.track(m.executionId(), m.attempts(), deadline);
    return this;
  }

  private Behavior<Command> onWithdraw(Withdraw m) {
    m.attemptIds().forEach(scheduler::withdraw);
    return this;
  }

  private Behavior<Command> onCancelAttempts(CancelAttempts m) {
    dispatch.cancel(m.attemptIds());
    dispatch.dispatch();
    return this;
  }

  private Behavior<Command> onAttemptEnded(AttemptEnded m) {
    dispatch.release(m.attemptId());
    dispatch.dispatch();
    return this;
  }

  // ---- workers

  private Behavior<Command> onRegister(Register m) {
    membership.register(m.registration(), m.agent(), m.running());
    m.replyTo().tell(StatusReply.success(new Registered(m.registration().workerId(),
        settings.heartbeatInterval().toMillis(), settings.httpWorkerTtl().toMillis())));
    dispatch.dispatch();
    return this;
  }

  private Behavior<Command> onHeartbeat(Heartbeat m) {
    WorkerEntry w = membership.live(m.workerId());
    if (w == null) {
      if (m.replyTo() != null) {
        m.replyTo().tell(notRegistered(m.workerId()));
      }
      return this;
    }
    membership.heartbeat(w, m.currentLoad(), m.holding());
    if (m.replyTo() != null) {
      m.replyTo().tell(StatusReply.ack());
    }
    return this;
  }

  private Behavior<Command> onDeregister(Deregister m) {
    WorkerEntry w = membership.live(m.workerId());
    if (w == null) {
      m.replyTo().tell(ErrorCode.NOT_FOUND.reply("worker " + m.workerId() + " is not registered"));
      return this;
    }
    membership.takeOffline(w, "deregistered");
    m.replyTo().tell(StatusReply.ack());
    dispatch.dispatch();
    return this;
  }

  private Behavior<Command> onPoll(Poll m) {
    WorkerEntry w = membership.live(m.workerId());
    if (w == null) {
      m.replyTo().tell(notRegistered(m.workerId()));
      return this;
    }
    if (w.agent != null) {
      m.replyTo().tell(ErrorCode.CONFLICT.reply("worker " + m.workerId() + " is a cluster worker; only HTTP"
          + " workers poll"));
      return this;
    }
    polls.open(w, m.max(), m.replyTo(), System.currentTimeMillis());
    dispatch.dispatch();
    polls.waitFor(w, m.waitMs());
    return this;
  }

  private Behavior<Command> onPollExpired(LongPolls.Expired m) {
    polls.expired(workers.get(m.workerId()), m);
    return this;
  }

  private static <T> StatusReply<T> notRegistered(String workerId) {
    return ErrorCode.NOT_FOUND.reply("worker " + workerId + " is not registered (or expired); register again");
  }

  // ---- cluster membership and expiry

  private Behavior<Command> onMemberChanged(MemberChanged m) {
    if (m.event() instanceof ClusterEvent.MemberRemoved removed) {
      membership.nodeRemoved(removed.member().address().toString());
      dispatch.dispatch();
    }
    return this;
  }

  private Behavior<Command> onReachabilityChanged(ReachabilityChanged m) {
    membership.reachability(m.event().member().address().toString(),
        m.event() instanceof ClusterEvent.ReachableMember);
    return this;
  }

  private Behavior<Command> onTick(Tick t) {
    long now = System.currentTimeMillis();
    boolean changed = membership.expire(now);
    held.expire(now);
    changed |= dispatch.renewKeys(now);
    if (changed || scheduler.nextWakeupDelayMs(now) == 0) {
      dispatch.dispatch();
    }
    return this;
  }

  // ---- state shared through Redis: concurrency keys and the pause flag

  private Behavior<Command> onShared(Shared m) {
    ClusterAnswer answer = m.answer();
    if (answer instanceof ClusterAnswer.PauseRead r) {
      timers.startSingleTimer("pause-read", new Shared(ClusterAnswer.Refresh.INSTANCE), queue.read(r));
    } else if (answer == ClusterAnswer.Refresh.INSTANCE) {
      queue.refresh();
    } else {
      dispatch.keyAnswered(answer, System.currentTimeMillis());
    }
    dispatch.dispatch();
    return this;
  }

  // ---- queries and queue control

  private Behavior<Command> onGetWorkers(GetWorkers m) {
    List<WorkerInfo> list = new ArrayList<>(workers.size());
    long now = System.currentTimeMillis();
    workers.values().forEach(w -> list.add(views.info(w, now)));
    m.replyTo().tell(new Workers(list));
    return this;
  }

  private Behavior<Command> onGetWorker(GetWorker m) {
    WorkerEntry w = workers.get(m.workerId());
    m.replyTo().tell(w == null
        ? ErrorCode.NOT_FOUND.reply("worker " + m.workerId() + " is not registered in pool " + pool)
        : StatusReply.success(views.info(w, System.currentTimeMillis())));
    return this;
  }

  private Behavior<Command> onGetStats(GetStats m) {
    m.replyTo().tell(views.stats(workers.values(), dispatch.dispatched(), queue.paused(),
        System.currentTimeMillis()));
    return this;
  }

  private Behavior<Command> onExplain(Explain m) {
    String reason = scheduler.explain(m.attemptId(), System.currentTimeMillis()).map(BlockReason::wireName)
        .orElse(null);
    m.replyTo().tell(new Explanation(m.attemptId(), reason));
    return this;
  }

  /** Sent by {@code Gantry.pauseQueue()} once the shared flag is written, so this pool pauses at once. */
  private Behavior<Command> onPauseQueue(PauseQueue m) {
    queue.commanded(true);
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onResumeQueue(ResumeQueue m) {
    queue.commanded(false);
    dispatch.dispatch();
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onDrain(Drain m) {
    m.replyTo().tell(queue.drain(m.by()));
    return this;
  }
}
