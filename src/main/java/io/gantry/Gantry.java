package io.gantry;

import io.gantry.dag.Dag;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagValidationException;
import io.gantry.execution.Execution;
import io.gantry.execution.ExecutionIndex;
import io.gantry.execution.ExecutionSettings;
import io.gantry.execution.LiveExecutions;
import io.gantry.execution.RedisExecutionIndex;
import io.gantry.protocol.ExecutionPage;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobResult;
import io.gantry.protocol.QueueStats;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.SubmitAccepted;
import io.gantry.protocol.WorkerInfo;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.RegistrySettings;
import io.gantry.registry.WorkerRegistry;
import io.gantry.registry.cluster.ClusterQueueSettings;
import io.gantry.registry.cluster.ClusterQueueStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Gantry's actor message API for Java/Pekko applications that run in (or joined) a Gantry cluster:
 * {@code Gantry.get(system).submit(document)} and friends, each a {@link CompletionStage}. Failures complete
 * with a {@link GantryException} whose code says what went wrong (NOT_FOUND, CONFLICT, INVALID_DAG, ...).
 * The typed protocols ({@link ExecutionProtocol.Command}, {@link RegistryProtocol.Command}) can also be used directly through
 * {@link #execution(String)} and {@link #registry(String)}.
 */
public final class Gantry implements Extension {
  /** Nodes with this role host the Execution and WorkerRegistry entities; the others only proxy to them. */
  public static final String ORCHESTRATOR_ROLE = "orchestrator";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ExecutionIndex index;
  private final Duration askTimeout;
  private final List<String> pools;
  private final ClusterQueueStore queueStore;

  private Gantry(ActorSystem<?> system) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.index = new RedisExecutionIndex(GantryRedis.get(system));
    this.queueStore = new ClusterQueueStore(GantryRedis.get(system));
    var config = system.settings().config();
    this.askTimeout = config.getDuration("gantry.http.ask-timeout");
    List<String> p = new ArrayList<>(config.getStringList("gantry.pools"));
    String own = config.getString("gantry.worker.pool");
    if (!p.contains(own)) {
      p.add(own);
    }
    this.pools = List.copyOf(p);
    initSharding(config);
  }

  /** Sharding of both entity types, started with the extension so the API works as soon as it exists. */
  private void initSharding(com.typesafe.config.Config config) {
    ExecutionSettings executionSettings = new ExecutionSettings(config.getInt("gantry.execution.snapshot-every"),
        config.getDuration("gantry.execution.passivate-finished-after"), index, this::registry);
    sharding.init(Entity.of(Execution.TYPE_KEY,
            ec -> Execution.create(ec.getEntityId(), executionSettings, ec.getShard()))
        .withStopMessage(ExecutionProtocol.Stop.INSTANCE)
        .withRole(ORCHESTRATOR_ROLE));
    WorkerRegistry.initSharding(system, ORCHESTRATOR_ROLE, RegistrySettings.from(config),
        ClusterQueueSettings.from(config), queueStore, executionRouter(), this::reofferLive);
  }

  /** Every unfinished execution offers its queued attempts again (a registry started without its soft state). */
  private void reofferLive() {
    LiveExecutions.forEach(system, index, "ask them for their offers again",
        ids -> ids.forEach(id -> execution(id).tell(ExecutionProtocol.Reoffer.INSTANCE)));
  }

  public static Gantry get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public EntityRef<ExecutionProtocol.Command> execution(String executionId) {
    return sharding.entityRefFor(Execution.TYPE_KEY, executionId);
  }

  public EntityRef<RegistryProtocol.Command> registry(String pool) {
    return sharding.entityRefFor(WorkerRegistry.TYPE_KEY, pool);
  }

  /** Route from an execution id to its entity, for actors that report to executions. */
  public Function<String, RecipientRef<ExecutionProtocol.Command>> executionRouter() {
    return this::execution;
  }

  public ExecutionIndex index() {
    return index;
  }

  /** The pools this node's configuration names: {@code gantry.pools} and its own worker's. */
  public List<String> pools() {
    return pools;
  }

  /**
   * Every pool that exists: those configured and those recorded in Redis, where a pool's registry records its pool
   * when it starts (which a worker's registration, HTTP or cluster, or an execution's offer does). When Redis does
   * not answer, the configured ones.
   */
  public CompletionStage<java.util.Set<String>> knownPools() {
    return settled(queueStore.pools()).handle((recorded, e) -> {
      java.util.Set<String> all = new java.util.TreeSet<>(pools);
      if (e == null) {
        all.addAll(recorded);
      }
      return all;
    });
  }

  // ---- executions

  /**
   * Validates and submits a DAG. Idempotent by {@code executionId}: the same id with the same document answers
   * the existing execution ({@code created = false}); with another document it fails with CONFLICT.
   */
  public CompletionStage<SubmitAccepted> submit(DagDocument document) {
    Dag dag;
    try {
      dag = Dag.of(document);
    } catch (DagValidationException e) {
      return CompletableFuture.failedFuture(new GantryException(e.code(), e.getMessage(), e.details()));
    }
    String id = document.executionId() != null ? document.executionId() : newExecutionId();
    DagDocument doc = document.withExecutionId(id);
    return index.recordSubmitted(id, dag.workflowId(), dag.size(), System.currentTimeMillis())
        .exceptionally(e -> {
          throw new GantryException("UNAVAILABLE", "cannot record the execution in Redis: " + rootMessage(e));
        })
        .thenCompose(v -> ask(execution(id), (ActorRef<StatusReply<SubmitAccepted>> r) -> new ExecutionProtocol.Submit(doc, r)));
  }

  public CompletionStage<ExecutionState> status(String executionId) {
    return ask(execution(executionId), ExecutionProtocol.GetState::new);
  }

  public CompletionStage<ExecutionState> pause(String executionId) {
    return ask(execution(executionId), ExecutionProtocol.Pause::new);
  }

  public CompletionStage<ExecutionState> resume(String executionId) {
    return ask(execution(executionId), ExecutionProtocol.Resume::new);
  }

  public CompletionStage<ExecutionState> cancel(String executionId) {
    return ask(execution(executionId), ExecutionProtocol.Cancel::new);
  }

  public CompletionStage<ExecutionState> retry(String executionId) {
    return ask(execution(executionId), ExecutionProtocol.Retry::new);
  }

  public CompletionStage<ExecutionState> cancelJob(String executionId, String jobId) {
    return ask(execution(executionId), (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.CancelJob(jobId, r));
  }

  public CompletionStage<ExecutionState> linkCheckpoint(String executionId, String checkpointId) {
    return ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.LinkCheckpoint(checkpointId, r));
  }

  /** A job's detail; for a queued job the registry says why it waits ({@code blockedBy}). */
  public CompletionStage<JobDetail> job(String executionId, String jobId) {
    CompletionStage<JobDetail> detail = ask(execution(executionId),
        (ActorRef<StatusReply<JobDetail>> r) -> new ExecutionProtocol.GetJob(jobId, r));
    return detail.thenCompose(d -> {
      if (d.currentAttemptId() == null || !"capacity-full".equals(d.blockedBy())) {
        return CompletableFuture.completedFuture(d);
      }
      CompletionStage<RegistryProtocol.Explanation> why = settled(registry(d.pool()).ask(
          r -> new RegistryProtocol.Explain(d.currentAttemptId(), r), askTimeout));
      return why.thenApply(e -> e.reason() == null ? d : d.withBlockedBy(e.reason()))
          .exceptionally(e -> d);
    });
  }

  public CompletionStage<JobResult> result(String executionId, String jobId) {
    return ask(execution(executionId), (ActorRef<StatusReply<JobResult>> r) -> new ExecutionProtocol.GetResult(jobId, r));
  }

  /**
   * Sends the execution's events to {@code subscriber}: those so far, then live ones, until its final event
   * ({@link io.gantry.execution.ExecutionEvents}). Cancel through the answer's kill switch.
   */
  public io.gantry.execution.ExecutionEvents.Subscription subscribe(String executionId,
      ActorRef<io.gantry.protocol.PublicEvent> subscriber) {
    return io.gantry.execution.ExecutionEvents.subscribe(system, executionId, subscriber);
  }

  public CompletionStage<ExecutionPage> list(String workflowId, ExecutionStatus status, int limit, String cursor) {
    return index.list(workflowId, status, limit, cursor);
  }

  // ---- workers and the queue

  /** The workers of every pool that exists ({@link #knownPools()}). */
  public CompletionStage<List<WorkerInfo>> workers() {
    return knownPools().thenCompose(this::workers);
  }

  /** The workers of the given pools (e.g. also those HTTP workers named at registration). */
  public CompletionStage<List<WorkerInfo>> workers(java.util.Collection<String> pools) {
    List<CompletableFuture<List<WorkerInfo>>> all = new ArrayList<>();
    for (String pool : pools) {
      CompletionStage<List<WorkerInfo>> one = settled(registry(pool).ask(RegistryProtocol.GetWorkers::new, askTimeout))
          .thenApply(RegistryProtocol.Workers::workers);
      all.add(one.toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
      if (e != null) {
        throw unavailable(e);
      }
      List<WorkerInfo> merged = new ArrayList<>();
      all.forEach(f -> merged.addAll(f.join()));
      return merged;
    });
  }

  public CompletionStage<WorkerInfo> worker(String pool, String workerId) {
    return ask(registry(pool), (ActorRef<StatusReply<WorkerInfo>> r) -> new RegistryProtocol.GetWorker(workerId, r));
  }

  /** The queue figures of every pool that exists ({@link #knownPools()}). */
  public CompletionStage<List<QueueStats>> queueStats() {
    return knownPools().thenCompose(this::queueStats);
  }

  /** The queue figures of the given pools. */
  public CompletionStage<List<QueueStats>> queueStats(java.util.Collection<String> pools) {
    List<CompletableFuture<QueueStats>> all = new ArrayList<>();
    for (String pool : pools) {
      CompletionStage<QueueStats> one = settled(registry(pool).ask(RegistryProtocol.GetStats::new, askTimeout));
      all.add(one.toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
      if (e != null) {
        throw unavailable(e);
      }
      return all.stream().map(CompletableFuture::join).toList();
    });
  }

  /**
   * Pauses dispatch in every pool, durably: the flag is written to Redis first (UNAVAILABLE when it cannot be), so
   * it holds across registry restarts and for pools that appear later; then every pool's registry is told at once.
   */
  public CompletionStage<Done> pauseQueue() {
    return setQueuePaused(true, RegistryProtocol.PauseQueue::new);
  }

  public CompletionStage<Done> resumeQueue() {
    return setQueuePaused(false, RegistryProtocol.ResumeQueue::new);
  }

  /** Whether the queue is paused, as stored in Redis. */
  public CompletionStage<Boolean> queuePaused() {
    return settled(queueStore.paused()).exceptionally(e -> {
      throw unavailable(e);
    });
  }

  private CompletionStage<Done> setQueuePaused(boolean paused,
      Function<ActorRef<Done>, RegistryProtocol.Command> message) {
    return settled(queueStore.setPaused(paused)).exceptionally(e -> {
      throw new GantryException("UNAVAILABLE", "cannot store the queue's pause flag in Redis: " + rootMessage(e));
    }).thenCompose(v -> knownPools()).thenCompose(all -> eachPool(all, message));
  }

  /** Cancels every queued job that has not started, in every pool that exists; answers how many. */
  public CompletionStage<Integer> drain() {
    return knownPools().thenCompose(pools -> {
      List<CompletableFuture<Integer>> all = new ArrayList<>();
      for (String pool : pools) {
        CompletionStage<Integer> one = settled(registry(pool).ask(RegistryProtocol.Drain::new, askTimeout));
        all.add(one.toCompletableFuture());
      }
      return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .thenApply(v -> all.stream().mapToInt(CompletableFuture::join).sum());
    });
  }

  private CompletionStage<Done> eachPool(java.util.Collection<String> pools,
      Function<ActorRef<Done>, RegistryProtocol.Command> message) {
    List<CompletableFuture<Done>> all = new ArrayList<>();
    for (String pool : pools) {
      CompletionStage<Done> one = settled(registry(pool).ask(message::apply, askTimeout));
      all.add(one.toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
      if (e != null) {
        throw unavailable(e);
      }
      return Done.getInstance();
    });
  }

  // ---- asking

  /** Asks with the configured timeout and turns "CODE: message" error replies into {@link GantryException}s. */
  public <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message) {
    return ask(target, message, askTimeout);
  }

  /** As {@link #ask(RecipientRef, Function)} with another timeout, for requests that wait on purpose (long polls). */
  public <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message,
      Duration timeout) {
    CompletionStage<StatusReply<T>> reply = org.apache.pekko.actor.typed.javadsl.AskPattern.ask(
        target, message::apply, timeout, system.scheduler());
    return settled(reply).handle((r, e) -> {
      if (e != null) {
        throw unavailable(e, timeout);
      }
      if (r.isError()) {
        throw GantryException.fromReply(r.getError().getMessage());
      }
      return r.getValue();
    });
  }

  /**
   * The same outcome as a plain CompletableFuture, completed on a Pekko dispatcher thread. Stages that Pekko
   * returns are Scala futures seen through a CompletableFuture that runs every callback "async" on the JDK's
   * common pool, which on a machine of two cores or fewer starts a new thread per callback.
   */
  private <T> CompletableFuture<T> settled(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync((value, error) -> {
      if (error != null) {
        plain.completeExceptionally(error);
      } else {
        plain.complete(value);
      }
    }, system.executionContext());
    return plain;
  }

  private GantryException unavailable(Throwable e) {
    return unavailable(e, askTimeout);
  }

  private GantryException unavailable(Throwable e, Duration timeout) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof GantryException g) {
      return g;
    }
    if (cause instanceof TimeoutException) {
      return new GantryException("UNAVAILABLE", "no answer within " + timeout.toMillis()
          + " ms (the cluster may be starting, or Redis may be unreachable)");
    }
    return new GantryException("UNAVAILABLE", rootMessage(cause));
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** Time-ordered, unique ids: a base-36 millisecond clock and 8 random base-36 characters. */
  static String newExecutionId() {
    StringBuilder sb = new StringBuilder("ex-").append(Long.toString(System.currentTimeMillis(), 36)).append('-');
    for (int i = 0; i < 8; i++) {
      sb.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return sb.toString();
  }

  private static final class Id extends ExtensionId<Gantry> {
    static final Id INSTANCE = new Id();

    @Override
    public Gantry createExtension(ActorSystem<?> system) {
      return new Gantry(system);
    }
  }
}
