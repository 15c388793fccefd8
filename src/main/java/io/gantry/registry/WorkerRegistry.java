package io.gantry.registry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
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
import io.gantry.protocol.RegistryProtocol.PolledJobs;
import io.gantry.protocol.RegistryProtocol.Register;
import io.gantry.protocol.RegistryProtocol.Registered;
import io.gantry.protocol.RegistryProtocol.ResumeQueue;
import io.gantry.protocol.RegistryProtocol.Track;
import io.gantry.protocol.RegistryProtocol.Withdraw;
import io.gantry.protocol.RegistryProtocol.Workers;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.TrackedAttempt;
import io.gantry.protocol.WorkerInfo;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.registry.cluster.ClusterAnswer;
import io.gantry.registry.cluster.ClusterQueueSettings;
import io.gantry.registry.cluster.ClusterQueueStore;
import io.gantry.registry.cluster.ConcurrencyKeys;
import io.gantry.registry.cluster.SharedPause;
import io.gantry.registry.scheduling.Assignment;
import io.gantry.registry.scheduling.BlockReason;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.QueuedAttempt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
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
import org.slf4j.MDC;

/**
 * The registry of one worker pool (a sharded entity whose id is the pool name): the pool's workers, its queue of
 * offered attempts and which worker runs what. Its state is soft: nothing here is persisted. Executions offer their
 * queued attempts again when it restarts, and workers re-register with the attempts they run. What holds across
 * pools and restarts lives in Redis: the queue's pause flag and the concurrency keys' locks ({@link SharedPause},
 * {@link ConcurrencyKeys}).
 */
public final class WorkerRegistry extends AbstractBehavior<RegistryProtocol.Command> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "WorkerRegistry");

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

  private enum Tick implements Internal { INSTANCE }

  private record PollExpired(String workerId, long pollId) implements Internal {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Internal {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Internal {}

  /** A Redis answer for the shared queue state, or a timer of it; local, never serialized. */
  private record Shared(ClusterAnswer answer) implements Internal {}

  private final String pool;
  private final RegistrySettings settings;
  private final TimerScheduler<Command> timers;
  private final Function<String, RecipientRef<ExecutionProtocol.Command>> executions;
  private final PoolScheduler scheduler;
  private final WorkerViews views;
  private final Map<String, WorkerEntry> workers = new LinkedHashMap<>();
  /** Offers whose attempt is running, by attempt id, to report them lost if their worker goes. */
  private final Map<String, JobOffer> running = new HashMap<>();
  private final HeldAttempts held;
  private final ClusterQueueSettings shared;
  private final ConcurrencyKeys keys;
  private final SharedPause pause;
  private final long startedAt = System.currentTimeMillis();
  private long pollSeq;
  private long dispatched;

  /**
   * A registry entity of one pool. {@code requestOffers} asks every unfinished execution to offer its queued attempts
   * again (and to have its running ones tracked): a new incarnation starts with an empty queue.
   */
  public static Behavior<Command> create(String pool, RegistrySettings settings, ClusterQueueSettings shared,
      ClusterQueueStore store, Function<String, RecipientRef<ExecutionProtocol.Command>> executions, Runnable requestOffers) {
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
    this.shared = shared;
    java.util.function.Consumer<CompletionStage<ClusterAnswer>> pipe = stage -> context.pipeToSelf(stage,
        (answer, e) -> new Shared(answer)); // the stages never fail: errors are answers
    this.keys = new ConcurrencyKeys(store, shared, pipe);
    this.pause = new SharedPause(store, pool, pipe);
    this.pool = pool;
    this.settings = settings;
    this.timers = timers;
    this.executions = executions;
    this.held = new HeldAttempts(executions, this::lostKeyHolder, new NodeMembership(context.getSystem()));
    this.scheduler = new PoolScheduler(settings.aging().toMillis(), settings.rateLimitPerSecond());
    scheduler.pause(); // until the shared pause flag is read
    pause.read();
    this.views = new WorkerViews(pool, settings, scheduler, running);
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
        .onMessage(PollExpired.class, this::onPollExpired)
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
    for (JobOffer o : m.offers()) {
      held.offered(o.attemptId());
      if (!running.containsKey(o.attemptId()) && !held.isAdopted(o.attemptId())) {
        scheduler.offer(new QueuedAttempt(o.attemptId(), o.executionId(), o.jobId(), o.type(), o.priority(),
            WorkerViews.requirementsOf(o), o.concurrencyKey(), o.enqueuedAt(), o));
      }
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onTrack(Track m) {
    long now = System.currentTimeMillis();
    // A new incarnation gives workers the grace to re-register; an older one knows its workers.
    long deadline = Math.max(now, startedAt + settings.orphanGrace().toMillis());
    for (TrackedAttempt a : m.attempts()) {
      if (!running.containsKey(a.attemptId()) && !held.isAdopted(a.attemptId()) && !scheduler.isQueued(a.attemptId())) {
        held.track(m.executionId(), a, a.workerId() == null ? null : workers.get(a.workerId()), deadline);
      }
    }
    return this;
  }

  private Behavior<Command> onWithdraw(Withdraw m) {
    m.attemptIds().forEach(scheduler::withdraw);
    return this;
  }

  private Behavior<Command> onCancelAttempts(CancelAttempts m) {
    for (String attemptId : m.attemptIds()) {
      if (scheduler.withdraw(attemptId).isPresent()) {
        continue;
      }
      if (keys.isPending(attemptId)) {
        releaseAttempt(attemptId); // never sent: waiting for its concurrency key
        continue;
      }
      String workerId = scheduler.assignedWorker(attemptId).orElseGet(() -> held.ownerOf(attemptId));
      WorkerEntry w = workerId == null ? null : workers.get(workerId);
      if (w == null) {
        continue;
      }
      if (w.agent != null) {
        w.agent.tell(new WorkerProtocol.CancelAttempt(attemptId));
        if (held.isAdopted(attemptId)) {
          // Not counted any more; should the worker still list it, the next report stops it again.
          releaseAttempt(attemptId);
        }
      } else {
        // An HTTP worker learns of it on its next progress or complete (409); its slot is free now.
        releaseAttempt(attemptId);
      }
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onAttemptEnded(AttemptEnded m) {
    releaseAttempt(m.attemptId());
    dispatch();
    return this;
  }

  private void releaseAttempt(String attemptId) {
    running.remove(attemptId);
    scheduler.release(attemptId);
    keys.ended(attemptId).ifPresent(key -> scheduler.releaseKey(key, attemptId));
    String owner = held.release(attemptId, workers);
    WorkerEntry w = owner == null ? null : workers.get(owner);
    if (w != null && !w.offline()) {
      scheduler.setReportedLoad(w.id(), w.adopted.size());
    }
  }

  // ---- workers

  private Behavior<Command> onRegister(Register m) {
    WorkerRegistration r = m.registration();
    long now = System.currentTimeMillis();
    WorkerEntry existing = workers.get(r.workerId());
    WorkerEntry w;
    if (existing != null && !existing.offline()) {
      existing.registration = r;
      existing.agent = m.agent();
      existing.lastHeartbeat = now;
      existing.unreachable = false;
      w = existing;
    } else {
      w = new WorkerEntry(r, m.agent(), now);
      workers.put(r.workerId(), w);
    }
    scheduler.upsertWorker(WorkerViews.profileOf(r));
    if (m.running() != null) {
      workerReported(w, m.running());
      scheduler.setReportedLoad(r.workerId(), w.adopted.size());
    }
    withWorkerMdc(r.workerId(), () -> getContext().getLog().info(
        "worker {} ({}) registered: capabilities {}, {} slots, running {}", r.workerId(), r.kind(),
        r.capabilities(), r.maxConcurrency(), m.running() == null ? 0 : m.running().size()));
    m.replyTo().tell(StatusReply.success(new Registered(r.workerId(), settings.heartbeatInterval().toMillis(),
        settings.httpWorkerTtl().toMillis())));
    dispatch();
    return this;
  }

  private Behavior<Command> onHeartbeat(Heartbeat m) {
    WorkerEntry w = workers.get(m.workerId());
    if (w == null || w.offline()) {
      if (m.replyTo() != null) {
        m.replyTo().tell(StatusReply.error("NOT_FOUND: worker " + m.workerId() + " is not registered (or expired)"
            + "; register again"));
      }
      return this;
    }
    w.lastHeartbeat = System.currentTimeMillis();
    if (m.holding() != null) {
      workerReported(w, m.holding());
    }
    if (m.currentLoad() != null) {
      w.reportedLoad = m.currentLoad();
      scheduler.setReportedLoad(w.id(), Math.max(m.currentLoad(), w.adopted.size()));
    }
    if (m.replyTo() != null) {
      m.replyTo().tell(StatusReply.ack());
    }
    return this;
  }

  /**
   * Reconciles what a worker says it holds. Attempts it holds that are queued here (offered again after a registry
   * restart) leave the queue, so they do not run twice; those no Execution asked about are confirmed with their
   * Execution, which stops them when they are no longer current (a zombie of a node that came back).
   */
  private void workerReported(WorkerEntry w, List<WorkerProtocol.RunningAttempt> holding) {
    holding.forEach(a -> scheduler.withdraw(a.attemptId()));
    long now = System.currentTimeMillis();
    for (WorkerProtocol.RunningAttempt a : held.reported(w, holding, id -> scheduler.assignedWorker(id).isPresent())) {
      executions.apply(a.executionId()).tell(new ExecutionProtocol.ReportStarted(a.jobId(), a.attemptId(), w.id(),
          w.registration.nodeAddress(), now));
    }
    w.adopted.keySet().forEach(keys::readopt); // adopted attempts take their concurrency key's lock back
  }

  private Behavior<Command> onDeregister(Deregister m) {
    WorkerEntry w = workers.get(m.workerId());
    if (w == null || w.offline()) {
      m.replyTo().tell(StatusReply.error("NOT_FOUND: worker " + m.workerId() + " is not registered"));
      return this;
    }
    takeOffline(w, "deregistered");
    m.replyTo().tell(StatusReply.ack());
    dispatch();
    return this;
  }

  private Behavior<Command> onPoll(Poll m) {
    WorkerEntry w = workers.get(m.workerId());
    if (w == null || w.offline()) {
      m.replyTo().tell(StatusReply.error("NOT_FOUND: worker " + m.workerId() + " is not registered (or expired)"
          + "; register again"));
      return this;
    }
    if (w.agent != null) {
      m.replyTo().tell(StatusReply.error("CONFLICT: worker " + m.workerId() + " is a cluster worker; only HTTP"
          + " workers poll"));
      return this;
    }
    w.lastHeartbeat = System.currentTimeMillis();
    if (w.poll != null) {
      // A newer poll replaces an older one (the client gave up on it).
      w.poll.replyTo.tell(StatusReply.success(new PolledJobs(List.copyOf(w.poll.collected))));
    }
    w.poll = new WorkerEntry.OpenPoll(++pollSeq, Math.max(1, m.max()), m.replyTo());
    scheduler.setPullCredit(w.id(), w.poll.max);
    dispatch();
    if (w.poll != null && w.poll.collected.isEmpty()) {
      timers.startSingleTimer("poll:" + w.id(), new PollExpired(w.id(), w.poll.id), Duration.ofMillis(
          Math.max(0, Math.min(30_000, m.waitMs()))));
    }
    return this;
  }

  private Behavior<Command> onPollExpired(PollExpired m) {
    WorkerEntry w = workers.get(m.workerId());
    if (w != null && w.poll != null && w.poll.id == m.pollId()) {
      answerPoll(w);
    }
    return this;
  }

  private void answerPoll(WorkerEntry w) {
    w.poll.replyTo.tell(StatusReply.success(new PolledJobs(List.copyOf(w.poll.collected))));
    w.poll = null;
    // A worker holding a poll open is alive; its TTL runs from the poll's end, not from its start.
    w.lastHeartbeat = Math.max(w.lastHeartbeat, System.currentTimeMillis());
    timers.cancel("poll:" + w.id());
    if (scheduler.worker(w.id()).isPresent()) {
      scheduler.setPullCredit(w.id(), 0);
    }
  }

  private void takeOffline(WorkerEntry w, String reason) {
    long now = System.currentTimeMillis();
    w.offlineSince = now;
    if (w.poll != null) {
      answerPoll(w);
    }
    List<QueuedAttempt> lost = scheduler.removeWorker(w.id());
    int count = 0;
    for (QueuedAttempt q : lost) {
      running.remove(q.attemptId());
      keys.lost(q.attemptId());
      executions.apply(q.executionId()).tell(new ExecutionProtocol.ReportLost(q.jobId(), q.attemptId(),
          "worker " + w.id() + " " + reason));
      count++;
    }
    int lostCount = count + held.workerGone(w, reason);
    withWorkerMdc(w.id(), () -> getContext().getLog().warn("worker {} {}: {} running attempt(s) re-queued", w.id(),
        reason, lostCount));
  }

  // ---- cluster membership: worker nodes that leave or stay unreachable lose their attempts

  private Behavior<Command> onMemberChanged(MemberChanged m) {
    if (m.event() instanceof ClusterEvent.MemberRemoved removed) {
      String address = removed.member().address().toString();
      for (WorkerEntry w : List.copyOf(workers.values())) {
        if (!w.offline() && address.equals(w.registration.nodeAddress())) {
          takeOffline(w, "left the cluster (node " + address + " removed)");
        }
      }
      dispatch();
    }
    return this;
  }

  private Behavior<Command> onReachabilityChanged(ReachabilityChanged m) {
    String address = m.event().member().address().toString();
    boolean reachable = m.event() instanceof ClusterEvent.ReachableMember;
    long now = System.currentTimeMillis();
    for (WorkerEntry w : workers.values()) {
      if (!w.offline() && address.equals(w.registration.nodeAddress())) {
        if (!reachable && !w.unreachable) {
          w.unreachableSince = now;
        }
        w.unreachable = !reachable;
      }
    }
    return this;
  }

  private Behavior<Command> onTick(Tick t) {
    long now = System.currentTimeMillis();
    long ttl = settings.httpWorkerTtl().toMillis();
    long grace = settings.unreachableGrace().toMillis();
    boolean changed = false;
    for (WorkerEntry w : List.copyOf(workers.values())) {
      if (w.offline()) {
        if (now - w.offlineSince > settings.offlineRetention().toMillis()) {
          workers.remove(w.id());
        }
      } else if (w.agent == null && w.poll == null && now - w.lastHeartbeat > ttl) {
        takeOffline(w, "expired (no heartbeat for " + ttl + " ms)");
        changed = true;
      } else if (w.unreachable && now - w.unreachableSince > grace) {
        takeOffline(w, "unreachable for more than " + grace + " ms");
        changed = true;
      }
    }
    held.expire(now);
    Map<String, String> released = keys.renewDue(now, id -> running.containsKey(id) || held.isAdopted(id));
    released.forEach((attemptId, key) -> scheduler.releaseKey(key, attemptId));
    changed |= !released.isEmpty();
    if (changed || scheduler.nextWakeupDelayMs(now) == 0) {
      dispatch();
    }
    return this;
  }

  // ---- dispatch

  private void dispatch() {
    long now = System.currentTimeMillis();
    List<Assignment> assignments = scheduler.dispatch(now);
    if (assignments.isEmpty()) {
      return;
    }
    Set<WorkerEntry> polled = new HashSet<>();
    for (Assignment a : assignments) {
      running.put(a.attempt().attemptId(), (JobOffer) a.attempt().payload());
      if (keys.acquire(a.attempt())) {
        continue; // sent once its concurrency key's lock is granted
      }
      WorkerEntry w = workers.get(a.workerId());
      if (deliver(a.attempt(), w)) {
        polled.add(w);
      }
    }
    polled.forEach(this::answerPoll);
    long wake = scheduler.nextWakeupDelayMs(now);
    if (wake > 0) {
      timers.startSingleTimer("dispatch", Tick.INSTANCE, Duration.ofMillis(wake));
    }
  }

  /** Sends an assigned attempt to its worker; true when it went into an open poll, to be answered. */
  private boolean deliver(QueuedAttempt attempt, WorkerEntry w) {
    JobOffer offer = (JobOffer) attempt.payload();
    dispatched++;
    if (w.agent != null) {
      w.agent.tell(new WorkerProtocol.Run(offer));
      return false;
    }
    if (w.poll != null) {
      w.poll.collected.add(offer);
      return true;
    }
    // No open poll (it was answered while the key's lock was asked for); give the attempt back rather than lose it.
    releaseAttempt(offer.attemptId());
    scheduler.offer(attempt);
    return false;
  }

  // ---- state shared through Redis: concurrency keys and the pause flag

  private Behavior<Command> onShared(Shared m) {
    long now = System.currentTimeMillis();
    ClusterAnswer answer = m.answer();
    if (answer instanceof ClusterAnswer.KeyAnswered a) {
      if (!a.held()) {
        keys.refused(a).ifPresent(q -> waitForKey(q, a.key()));
      } else if (keys.granted(a, now)) {
        WorkerEntry w = scheduler.assignedWorker(a.attemptId()).map(workers::get).orElse(null);
        if (w != null && deliver(scheduler.assignedAttempt(a.attemptId()), w)) {
          answerPoll(w);
        }
      }
    } else if (answer instanceof ClusterAnswer.KeyRetry r) {
      keys.look(r.key());
    } else if (answer instanceof ClusterAnswer.KeyLooked l) {
      if (l.free()) {
        scheduler.releaseKey(l.key(), PoolScheduler.HELD_ELSEWHERE); // what waits for it competes again
      } else {
        timers.startSingleTimer("key:" + l.key(), new Shared(new ClusterAnswer.KeyRetry(l.key())), shared.keyRetry());
      }
    } else if (answer instanceof ClusterAnswer.KeyReadopted r) {
      keys.readopted(r, held.isAdopted(r.attemptId()), now).ifPresent(key -> scheduler.holdKey(key, r.attemptId()));
    } else if (answer instanceof ClusterAnswer.PauseRead r) {
      Boolean paused = pause.answered(r);
      if (paused != null) {
        applyPause(paused, "read from Redis");
      }
      timers.startSingleTimer("pause-read", new Shared(ClusterAnswer.Refresh.INSTANCE),
          paused == null && !pause.known() ? Duration.ofSeconds(1) : shared.refresh());
    } else if (answer == ClusterAnswer.Refresh.INSTANCE) {
      pause.read();
    }
    dispatch();
    return this;
  }

  /**
   * The key's lock was refused (held in another pool, or Redis away): queued again, its key parked until a look
   * every {@code concurrency-key-retry} finds the lock free.
   */
  private void waitForKey(QueuedAttempt attempt, String key) {
    releaseAttempt(attempt.attemptId());
    scheduler.holdKey(key, PoolScheduler.HELD_ELSEWHERE);
    scheduler.offer(attempt);
    timers.startSingleTimer("key:" + key, new Shared(new ClusterAnswer.KeyRetry(key)), shared.keyRetry());
  }

  /** An attempt this registry did not assign is lost: the lock of its concurrency key, if it holds one, is freed. */
  private void lostKeyHolder(String attemptId) {
    keys.lost(attemptId).ifPresent(key -> scheduler.releaseKey(key, attemptId));
  }

  private void applyPause(boolean paused, String how) {
    if (paused != scheduler.paused()) {
      if (paused) {
        scheduler.pause();
      } else {
        scheduler.resume();
      }
      getContext().getLog().info("queue of pool '{}' {} ({})", pool, paused ? "paused" : "resumed", how);
    }
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
        ? StatusReply.error("NOT_FOUND: worker " + m.workerId() + " is not registered in pool " + pool)
        : StatusReply.success(views.info(w, System.currentTimeMillis())));
    return this;
  }

  private Behavior<Command> onGetStats(GetStats m) {
    // Until the shared flag is first read the scheduler holds dispatch, but the queue is paused only by command.
    m.replyTo().tell(views.stats(workers.values(), dispatched, pause.known() && scheduler.paused(),
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
    pause.commanded();
    applyPause(true, "commanded");
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onResumeQueue(ResumeQueue m) {
    pause.commanded();
    applyPause(false, "commanded");
    dispatch();
    m.replyTo().tell(Done.getInstance());
    return this;
  }

  private Behavior<Command> onDrain(Drain m) {
    List<QueuedAttempt> drained = scheduler.drain();
    for (QueuedAttempt q : drained) {
      executions.apply(q.executionId()).tell(new ExecutionProtocol.CancelJob(q.jobId(), getContext().getSystem()
          .ignoreRef()));
    }
    m.replyTo().tell(drained.size());
    return this;
  }

  // ---- helpers

  private static void withWorkerMdc(String workerId, Runnable log) {
    MDC.put("workerId", workerId);
    try {
      log.run();
    } finally {
      MDC.remove("workerId");
    }
  }
}
