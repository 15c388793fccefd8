package io.gantry;

import io.gantry.dag.Dag;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagValidationException;
import io.gantry.execution.Execution;
import io.gantry.execution.ExecutionEvents;
import io.gantry.execution.ExecutionIndex;
import io.gantry.internal.Asking;
import io.gantry.internal.ExecutionIds;
import io.gantry.protocol.AuditEntry;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionPage;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobPage;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.JobResult;
import io.gantry.protocol.Principal;
import io.gantry.protocol.PublicEvent;
import io.gantry.protocol.QueueStats;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.SubmitAccepted;
import io.gantry.protocol.WorkerInfo;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.WorkerRegistry;
import io.gantry.registry.cluster.ClusterQueueStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * Gantry's actor message API for Java/Pekko applications that run in (or joined) a Gantry cluster:
 * {@code Gantry.get(system).submit(document)} and friends, each a {@link CompletionStage}. Failures complete
 * with a {@link GantryException} whose code says what went wrong (NOT_FOUND, CONFLICT, INVALID_DAG, ...).
 * The typed protocols ({@link ExecutionProtocol.Command}, {@link RegistryProtocol.Command}) can also be used directly
 * through {@link #execution(String)} and {@link #registry(String)}.
 *
 * <p>The facade starts nothing: it looks entities up in the sharding a Gantry node's guardian started
 * ({@code io.gantry.node.GantryNode}), so the system must be such a node (any roles, or none).
 */
public final class Gantry implements Extension {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ExecutionIndex index;
  private final ClusterQueueStore queueStore;
  private final Asking asking;
  private final ExecutionEvents events;
  private final List<String> pools;
  private final BulkSubmission bulk;
  private final GroupedIndexWrites indexWrites;

  private Gantry(ActorSystem<?> system) {
    var config = system.settings().config();
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.index = ExecutionIndex.of(system);
    this.queueStore = new ClusterQueueStore(GantryRedis.get(system));
    this.asking = new Asking(system, config.getDuration("gantry.http.ask-timeout"));
    this.events = new ExecutionEvents(system, this::status);
    Set<String> configured = new TreeSet<>(config.getStringList("gantry.pools"));
    configured.add(config.getString("gantry.worker.pool"));
    this.pools = List.copyOf(configured);
    this.bulk = new BulkSubmission(index, asking, this::submitToEntity);
    this.indexWrites = new GroupedIndexWrites(index);
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

  /**
   * Every pool that exists: those configured ({@code gantry.pools} and this node's worker's) and those recorded in
   * Redis, where a pool's registry records its pool when it starts (which a worker's registration, HTTP or cluster,
   * or an execution's offer does). When Redis does not answer, the configured ones.
   */
  public CompletionStage<Set<String>> knownPools() {
    return asking.settled(queueStore.pools()).handle((recorded, e) -> {
      Set<String> all = new TreeSet<>(pools);
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
    return submit(document, Principal.ACTOR_API);
  }

  /**
   * As {@link #submit(DagDocument)}, recording {@code by} as the submitter in the execution's audit trail. The
   * methods without a {@link Principal} record {@link Principal#ACTOR_API}.
   */
  public CompletionStage<SubmitAccepted> submit(DagDocument document, Principal by) {
    return submit(document, by, null);
  }

  /**
   * As {@link #submit(DagDocument, Principal)} for a one-job document submitted as a queue job: a new execution is
   * also marked as that job's (its queue id is {@code executionId:jobId}), in the same index write.
   */
  public CompletionStage<SubmitAccepted> submitQueueJob(DagDocument document, Principal by) {
    if (document.jobs() == null || document.jobs().size() != 1) {
      return CompletableFuture.failedFuture(
          new GantryException(ErrorCode.INVALID_DAG, "a queue job is a document with exactly one job"));
    }
    return submit(document, by, document.jobs().get(0).id());
  }

  private CompletionStage<SubmitAccepted> submit(DagDocument document, Principal by, String queueJobId) {
    Dag dag;
    try {
      dag = Dag.of(document);
    } catch (DagValidationException e) {
      return CompletableFuture.failedFuture(
          new GantryException(ErrorCode.valueOf(e.code()), e.getMessage(), e.details()));
    }
    String id = document.executionId() != null ? document.executionId() : ExecutionIds.next(ExecutionIds.EXECUTION);
    DagDocument doc = document.withExecutionId(id);
    return indexWrites.record(new ExecutionIndex.Submission(id, dag.workflowId(), dag.size(), queueJobId))
        .exceptionally(e -> {
          throw new GantryException(ErrorCode.UNAVAILABLE,
              "cannot record the execution in Redis: " + Asking.rootMessage(e));
        })
        .thenCompose(v -> submitToEntity(doc, by));
  }

  /**
   * Validates and submits many DAGs (up to 1,000), all or nothing: one invalid document, or an executionId used
   * twice, or one already used with another document, fails the call (INVALID_DAG, CONFLICT...) with a message that
   * names its position ({@code executions[3]: ...}), and nothing is created. The answers come in the documents'
   * order; each is idempotent by executionId as {@link #submit} is. The index records the new executions in one
   * Redis call.
   */
  public CompletionStage<List<SubmitAccepted>> submitAll(List<DagDocument> documents) {
    return submitAll(documents, Principal.ACTOR_API);
  }

  /** As {@link #submitAll(List)}, recording {@code by} as the submitter of each execution. */
  public CompletionStage<List<SubmitAccepted>> submitAll(List<DagDocument> documents, Principal by) {
    return bulk.submit(documents, by);
  }

  private CompletionStage<SubmitAccepted> submitToEntity(DagDocument doc, Principal by) {
    return asking.ask(execution(doc.executionId()),
        (ActorRef<StatusReply<SubmitAccepted>> r) -> new ExecutionProtocol.Submit(doc, by, r));
  }

  public CompletionStage<ExecutionState> status(String executionId) {
    return asking.ask(execution(executionId), ExecutionProtocol.GetState::new);
  }

  public CompletionStage<ExecutionState> pause(String executionId) {
    return pause(executionId, Principal.ACTOR_API);
  }

  public CompletionStage<ExecutionState> pause(String executionId, Principal by) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.Pause(by, r));
  }

  public CompletionStage<ExecutionState> resume(String executionId) {
    return resume(executionId, Principal.ACTOR_API);
  }

  public CompletionStage<ExecutionState> resume(String executionId, Principal by) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.Resume(by, r));
  }

  public CompletionStage<ExecutionState> cancel(String executionId) {
    return cancel(executionId, Principal.ACTOR_API);
  }

  public CompletionStage<ExecutionState> cancel(String executionId, Principal by) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.Cancel(by, r));
  }

  public CompletionStage<ExecutionState> retry(String executionId) {
    return retry(executionId, Principal.ACTOR_API);
  }

  public CompletionStage<ExecutionState> retry(String executionId, Principal by) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.Retry(by, r));
  }

  /** Runs these failed, skipped or cancelled jobs of the execution again (with their skipped descendants). */
  public CompletionStage<ExecutionState> retryJobs(String executionId, List<String> jobIds) {
    return retryJobs(executionId, jobIds, Principal.ACTOR_API);
  }

  /** As {@link #retryJobs(String, List)}, recording {@code by} in the audit trail. */
  public CompletionStage<ExecutionState> retryJobs(String executionId, List<String> jobIds, Principal by) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.RetryJobs(List.copyOf(jobIds), by, r));
  }


  /**
   * Up to {@code limit} of the execution's jobs from position {@code from} whose status is {@code status} (any when
   * null), with its job counts; {@code blockedBy} as the execution knows it (not refined by the registry).
   */
  public CompletionStage<JobPage> jobs(String executionId, JobStatus status, int from, int limit) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<JobPage>> r) -> new ExecutionProtocol.ListJobs(status, from, limit, r));
  }

  public CompletionStage<ExecutionState> cancelJob(String executionId, String jobId) {
    return cancelJob(executionId, jobId, Principal.ACTOR_API);
  }

  public CompletionStage<ExecutionState> cancelJob(String executionId, String jobId, Principal by) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.CancelJob(jobId, by, r));
  }

  /**
   * Who submitted, paused, resumed, cancelled or retried the execution, oldest first (API.md "Tokens and roles");
   * fails with NOT_FOUND for an unknown execution.
   */
  public CompletionStage<List<AuditEntry>> audit(String executionId) {
    return events.audit(executionId);
  }

  public CompletionStage<ExecutionState> linkCheckpoint(String executionId, String checkpointId) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<ExecutionState>> r) -> new ExecutionProtocol.LinkCheckpoint(checkpointId, r));
  }

  /** A job's detail; for a queued job the registry says why it waits ({@code blockedBy}). */
  public CompletionStage<JobDetail> job(String executionId, String jobId) {
    CompletionStage<JobDetail> detail = asking.ask(execution(executionId),
        (ActorRef<StatusReply<JobDetail>> r) -> new ExecutionProtocol.GetJob(jobId, r));
    return detail.thenCompose(d -> {
      if (d.currentAttemptId() == null || !"capacity-full".equals(d.blockedBy())) {
        return CompletableFuture.completedFuture(d);
      }
      CompletionStage<RegistryProtocol.Explanation> why = asking.askPlain(registry(d.pool()),
          r -> new RegistryProtocol.Explain(d.currentAttemptId(), r));
      return why.thenApply(e -> e.reason() == null ? d : d.withBlockedBy(e.reason()))
          .exceptionally(e -> d);
    });
  }

  public CompletionStage<JobResult> result(String executionId, String jobId) {
    return asking.ask(execution(executionId),
        (ActorRef<StatusReply<JobResult>> r) -> new ExecutionProtocol.GetResult(jobId, r));
  }

  /**
   * Sends the execution's events to {@code subscriber}: those so far, then live ones, until its final event.
   * Cancel through the answer's kill switch; its {@code done} fails with NOT_FOUND for an unknown execution.
   */
  public ExecutionEvents.Subscription subscribe(String executionId, ActorRef<PublicEvent> subscriber) {
    return events.subscribe(executionId, subscriber);
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
  public CompletionStage<List<WorkerInfo>> workers(Collection<String> pools) {
    return askEveryPool(pools, RegistryProtocol.GetWorkers::new).thenApply(answers -> {
      List<WorkerInfo> merged = new ArrayList<>();
      answers.forEach(a -> merged.addAll(a.workers()));
      return merged;
    });
  }

  public CompletionStage<WorkerInfo> worker(String pool, String workerId) {
    return asking.ask(registry(pool),
        (ActorRef<StatusReply<WorkerInfo>> r) -> new RegistryProtocol.GetWorker(workerId, r));
  }

  /** The queue figures of every pool that exists ({@link #knownPools()}). */
  public CompletionStage<List<QueueStats>> queueStats() {
    return knownPools().thenCompose(this::queueStats);
  }

  /** The queue figures of the given pools. */
  public CompletionStage<List<QueueStats>> queueStats(Collection<String> pools) {
    return askEveryPool(pools, RegistryProtocol.GetStats::new);
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
    return asking.settled(queueStore.paused()).exceptionally(e -> {
      throw asking.unavailable(e);
    });
  }

  private CompletionStage<Done> setQueuePaused(boolean paused,
      Function<ActorRef<Done>, RegistryProtocol.Command> message) {
    return asking.settled(queueStore.setPaused(paused)).exceptionally(e -> {
      throw new GantryException(ErrorCode.UNAVAILABLE,
          "cannot store the queue's pause flag in Redis: " + Asking.rootMessage(e));
    }).thenCompose(v -> knownPools()).thenCompose(all -> askEveryPool(all, message))
        .thenApply(answers -> Done.getInstance());
  }

  /** Cancels every queued job that has not started, in every pool that exists; answers how many. */
  public CompletionStage<Integer> drain() {
    return drain(Principal.ACTOR_API);
  }

  /** As {@link #drain()}, recording {@code by} on each job's cancel. */
  public CompletionStage<Integer> drain(Principal by) {
    return knownPools().thenCompose(all -> askEveryPool(all,
            (ActorRef<Integer> r) -> new RegistryProtocol.Drain(by, r)))
        .thenApply(counts -> counts.stream().mapToInt(Integer::intValue).sum());
  }

  /** Asks every pool's registry at once; the answers in the pools' order, or UNAVAILABLE if one fails. */
  private <T> CompletionStage<List<T>> askEveryPool(Collection<String> pools,
      Function<ActorRef<T>, RegistryProtocol.Command> message) {
    return asking.each(pools, pool -> asking.askPlain(registry(pool), message));
  }

  private static final class Id extends ExtensionId<Gantry> {
    static final Id INSTANCE = new Id();

    @Override
    public Gantry createExtension(ActorSystem<?> system) {
      return new Gantry(system);
    }
  }
}
