package io.gantry.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.AttemptIds;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerInfo;
import io.gantry.protocol.WorkerProtocol.RunningAttempt;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.registry.cluster.HttpWorkerPools;
import io.gantry.worker.AttemptReporter;
import io.gantry.worker.AttemptResult;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;

/**
 * The runtime of HTTP workers, which poll for attempts instead of hosting an agent: registration, heartbeats, long
 * polls and reports, each routed to the registry of the worker's pool ({@link HttpWorkerPools}), and every report
 * to an Execution sent through the {@link AttemptReporter} that cluster workers use too. The HTTP layer only
 * translates JSON to these calls and back. An HTTP worker lists what it holds itself, and repeats a complete until
 * it is answered (the rule of {@link AttemptReporter#decided}). Failures complete with {@link GantryException}s.
 */
public final class RemoteWorkers {
  /** A long poll's ask waits this much longer than the poll itself, so the registry's empty answer arrives first. */
  private static final Duration POLL_MARGIN = Duration.ofSeconds(5);
  private static final int REMEMBERED_HAND_OUTS = 10_000;

  private final ActorSystem<?> system;
  private final ClusterAccess cluster;
  private final AttemptReporter reporter;
  private final HttpWorkerPools pools;
  /** When each recent attempt was handed out, for its run time when the worker does not say. */
  private final Map<String, Long> handedOutAt = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED_HAND_OUTS;
        }
      });

  public RemoteWorkers(ActorSystem<?> system, ClusterAccess cluster, HttpWorkerPools pools) {
    this.system = system;
    this.cluster = cluster;
    this.reporter = new AttemptReporter(cluster::execution);
    this.pools = pools;
  }

  /**
   * Registers (or re-registers) an HTTP worker with its pool's registry, with the attempts it holds ({@code null}:
   * it does not say), which a restarted registry adopts back instead of running them again. An id held by a live
   * cluster worker is a CONFLICT; a worker that moves to another pool leaves the old one.
   */
  public CompletionStage<RegistryProtocol.Registered> register(WorkerRegistration r, List<RunningAttempt> holding) {
    String id = r.workerId();
    return knownPool(id)
        .thenCompose(previous -> worker(r.pool(), id).handle((info, e) -> info)
            .thenCompose(existing -> {
              if (existing != null && !existing.kind().equals("http") && !existing.status().equals("offline")) {
                throw new GantryException(ErrorCode.CONFLICT, "worker id " + id + " belongs to a live"
                    + " cluster worker; register under another id");
              }
              return pools.remember(id, r.pool()).exceptionally(e -> {
                throw unavailable(e);
              }).thenApply(v -> previous);
            }))
        .thenCompose(previous -> {
          if (previous != null && !previous.equals(r.pool())) {
            cluster.registry(previous).tell(new RegistryProtocol.Deregister(id, system.ignoreRef()));
          }
          return cluster.ask(cluster.registry(r.pool()),
              (ActorRef<StatusReply<RegistryProtocol.Registered>> reply) ->
                  new RegistryProtocol.Register(r, null, holding, reply));
        });
  }

  /** A heartbeat listing the attempts the worker holds ({@code null}: it does not say). */
  public CompletionStage<Done> heartbeat(String workerId, Integer currentLoad, List<RunningAttempt> holding) {
    return poolOf(workerId).thenCompose(pool -> cluster.ask(cluster.registry(pool),
        (ActorRef<StatusReply<Done>> reply) -> new RegistryProtocol.Heartbeat(workerId, currentLoad, holding, reply)));
  }

  /** Removes the worker at once; the registry re-queues its running attempts as new attempts. */
  public CompletionStage<Done> deregister(String workerId) {
    return poolOf(workerId)
        .thenCompose(pool -> cluster.ask(cluster.registry(pool),
            (ActorRef<StatusReply<Done>> reply) -> new RegistryProtocol.Deregister(workerId, reply)))
        .thenCompose(done -> pools.forget(workerId).thenApply(v -> done));
  }

  /**
   * Waits up to {@code waitMs} for up to {@code max} attempts. Each one handed out is reported started to its
   * Execution at once, so it shows running (and its timeout runs) from now.
   */
  public CompletionStage<List<JobOffer>> poll(String workerId, int max, long waitMs) {
    Duration timeout = Duration.ofMillis(waitMs).plus(POLL_MARGIN);
    return poolOf(workerId)
        .thenCompose(pool -> cluster.ask(cluster.registry(pool),
            (ActorRef<StatusReply<RegistryProtocol.PolledJobs>> reply) ->
                new RegistryProtocol.Poll(workerId, max, waitMs, reply),
            timeout))
        .thenApply(polled -> {
          long now = System.currentTimeMillis();
          for (JobOffer o : polled.jobs()) {
            handedOutAt.put(o.attemptId(), now);
            reporter.started(o, workerId, null, now);
          }
          return polled.jobs();
        });
  }

  /**
   * STALE_ATTEMPT when the attempt is no longer its job's current one, FORBIDDEN when it runs on another worker,
   * NOT_FOUND for what is no attempt id.
   */
  public CompletionStage<Done> progress(String workerId, String attemptId, Double percent, String message,
      JsonNode checkpoint, String logs) {
    AttemptIds.Parsed parsed = AttemptIds.parse(attemptId);
    if (parsed == null) {
      return CompletableFuture.failedFuture(noSuchAttempt(attemptId));
    }
    return cluster.ask(reporter.execution(parsed.executionId()), (ActorRef<StatusReply<Done>> reply) ->
        AttemptReporter.progressReport(parsed.jobId(), attemptId, percent, message, checkpoint, logs,
            workerId, reply));
  }

  /**
   * Records the attempt's result (STALE_ATTEMPT, changing nothing, when it was superseded) and, whatever the answer,
   * frees the worker's slot in its registry. {@code executionTimeMs}: how long it ran, as the worker says (null:
   * since it was handed out, when this node remembers it).
   */
  public CompletionStage<Done> complete(String workerId, String attemptId, boolean success, JsonNode output,
      String error, String logs, Long executionTimeMs) {
    AttemptIds.Parsed parsed = AttemptIds.parse(attemptId);
    if (parsed == null) {
      return CompletableFuture.failedFuture(noSuchAttempt(attemptId));
    }
    long finishedAt = System.currentTimeMillis();
    Long handedOut = handedOutAt.get(attemptId);
    long startedAt = executionTimeMs != null ? finishedAt - executionTimeMs : handedOut != null ? handedOut
        : finishedAt;
    AttemptResult result = new AttemptResult(parsed.executionId(), parsed.jobId(), attemptId, workerId, success,
        output, error, logs, startedAt, finishedAt);
    return cluster.ask(reporter.execution(parsed.executionId()), result::report).whenComplete((done, e) -> {
      handedOutAt.remove(attemptId);
      poolOf(workerId).thenAccept(pool -> AttemptReporter.ended(cluster.registry(pool), workerId, attemptId));
    });
  }

  public CompletionStage<WorkerInfo> status(String workerId) {
    return poolOf(workerId).thenCompose(pool -> worker(pool, workerId));
  }

  /** Every worker of every pool this node knows of, HTTP workers' pools included. */
  public CompletionStage<List<WorkerInfo>> list() {
    return pools().thenCompose(cluster::workers);
  }

  /** Every pool that exists ({@link ClusterAccess#knownPools()}) and those of the HTTP workers this node saw. */
  public CompletionStage<Set<String>> pools() {
    return cluster.knownPools().thenApply(known -> {
      Set<String> all = new LinkedHashSet<>(known);
      all.addAll(pools.seenPools());
      return all;
    });
  }

  private CompletionStage<WorkerInfo> worker(String pool, String workerId) {
    return cluster.ask(cluster.registry(pool),
        (ActorRef<StatusReply<WorkerInfo>> reply) -> new RegistryProtocol.GetWorker(workerId, reply));
  }

  /** The pool of a worker: recorded in Redis, else a search of every pool (cluster workers are not recorded). */
  private CompletionStage<String> poolOf(String workerId) {
    return knownPool(workerId).thenCompose(pool -> pool != null ? CompletableFuture.completedFuture(pool)
        : list().thenApply(all -> all.stream().filter(w -> w.workerId().equals(workerId)).findFirst()
            .map(WorkerInfo::pool)
            .orElseThrow(() -> new GantryException(ErrorCode.NOT_FOUND, "worker " + workerId
                + " is not registered (or expired long ago); register again"))));
  }

  private CompletionStage<String> knownPool(String workerId) {
    return pools.poolOf(workerId).exceptionally(e -> {
      throw unavailable(e);
    });
  }

  private GantryException unavailable(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause(); // the connection's own error already names the address
    }
    return new GantryException(ErrorCode.UNAVAILABLE, "Redis at " + pools.redisAddress() + " did not answer: "
        + root.getMessage());
  }

  private static GantryException noSuchAttempt(String attemptId) {
    return new GantryException(ErrorCode.NOT_FOUND, "no such attempt: '" + attemptId
        + "' (attempt ids look like <executionId>:<jobId>:<n>, as the poll handed them out)");
  }
}
