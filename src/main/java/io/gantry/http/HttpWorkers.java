package io.gantry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.Gantry;
import io.gantry.execution.AttemptIds;
import io.gantry.internal.Asking;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerInfo;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.RegistrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.pattern.StatusReply;

/**
 * The HTTP workers' side of the registries: registration, heartbeats, long polls and reports, each routed to the
 * registry of the worker's pool. Which pool a worker joined is kept in Redis (hash {@code <prefix>http-workers})
 * and cached here, so any API node finds it. Failures complete with {@link GantryException}s.
 */
final class HttpWorkers {
  /** A long poll's ask waits this much longer than the poll itself, so the registry's empty answer arrives first. */
  private static final Duration POLL_MARGIN = Duration.ofSeconds(5);
  private static final int REMEMBERED_HAND_OUTS = 10_000;
  private static final int MAX_LISTED_ATTEMPTS = 10_000;

  /** One job handed to a worker by a poll (API.md §3). */
  record Assignment(String attemptId, String executionId, String jobId, String type, JsonNode config,
      ObjectNode dependencyOutputs, long timeoutMs, int attempt, JsonNode lastCheckpoint, int priority) {}

  private final ActorSystem<?> system;
  private final Gantry gantry;
  private final Asking asking;
  private final GantryRedis redis;
  private final RegistrySettings settings;
  private final String poolsKey;
  private final String poolNamesKey;
  private final Map<String, String> poolCache = new ConcurrentHashMap<>();
  /** When each recent attempt was handed out, for its run time when the worker does not say. */
  private final Map<String, Long> handedOutAt = Collections.synchronizedMap(
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED_HAND_OUTS;
        }
      });

  HttpWorkers(ActorSystem<?> system, Gantry gantry, Asking asking, RegistrySettings settings) {
    this.system = system;
    this.gantry = gantry;
    this.asking = asking;
    this.redis = GantryRedis.get(system);
    this.settings = settings;
    this.poolsKey = redis.prefix() + "http-workers";
    this.poolNamesKey = redis.prefix() + "http-worker-pools";
  }

  RegistrySettings settings() {
    return settings;
  }

  /**
   * Registers (or re-registers) an HTTP worker with its pool's registry. An id held by a live cluster worker is a
   * CONFLICT; a worker that moves to another pool leaves the old one.
   */
  CompletionStage<RegistryProtocol.Registered> register(WorkerRegistration r) {
    return register(r, null);
  }

  /**
   * As {@link #register(WorkerRegistration)}, with the attempts the worker holds ({@code null}: it does not say);
   * after a registry restart they are adopted back instead of run again.
   */
  CompletionStage<RegistryProtocol.Registered> register(WorkerRegistration r,
      List<WorkerProtocol.RunningAttempt> holding) {
    String id = r.workerId();
    return knownPool(id)
        .thenCompose(previous -> gantry.worker(r.pool(), id).handle((info, e) -> info)
            .thenCompose(existing -> {
              if (existing != null && !existing.kind().equals("http") && !existing.status().equals("offline")) {
                throw new GantryException(ErrorCode.CONFLICT, "worker id " + id + " belongs to a live cluster worker; "
                    + "register under another id");
              }
              return remember(id, r.pool()).thenApply(v -> previous);
            }))
        .thenCompose(previous -> {
          if (previous != null && !previous.equals(r.pool())) {
            gantry.registry(previous).tell(new RegistryProtocol.Deregister(id, system.ignoreRef()));
          }
          return asking.ask(gantry.registry(r.pool()),
              (ActorRef<StatusReply<RegistryProtocol.Registered>> reply) ->
                  new RegistryProtocol.Register(r, null, holding, reply));
        });
  }

  CompletionStage<Done> heartbeat(String workerId, Integer currentLoad) {
    return heartbeat(workerId, currentLoad, null);
  }

  /** A heartbeat listing the attempts the worker holds ({@code null}: it does not say). */
  CompletionStage<Done> heartbeat(String workerId, Integer currentLoad,
      List<WorkerProtocol.RunningAttempt> holding) {
    return poolOf(workerId).thenCompose(pool -> asking.ask(gantry.registry(pool),
        (ActorRef<StatusReply<Done>> reply) -> new RegistryProtocol.Heartbeat(workerId, currentLoad, holding, reply)));
  }

  /** Attempt ids as a worker lists them, or a 400 naming those that are no attempt ids; null stays null. */
  static List<WorkerProtocol.RunningAttempt> holding(List<String> attemptIds) {
    if (attemptIds == null) {
      return null;
    }
    if (attemptIds.size() > MAX_LISTED_ATTEMPTS) {
      throw ApiException.of(ErrorCode.INVALID_WORKER, "runningAttempts lists " + attemptIds.size()
          + " attempts; at most " + MAX_LISTED_ATTEMPTS);
    }
    List<WorkerProtocol.RunningAttempt> held = new ArrayList<>(attemptIds.size());
    List<String> bad = new ArrayList<>();
    for (String id : attemptIds) {
      AttemptIds.Parsed p = AttemptIds.parse(id);
      if (p == null) {
        bad.add(String.valueOf(id));
      } else {
        held.add(new WorkerProtocol.RunningAttempt(id, p.executionId(), p.jobId()));
      }
    }
    if (!bad.isEmpty()) {
      throw new ApiException(ErrorCode.INVALID_WORKER, "runningAttempts: not attempt ids (<executionId>:<jobId>:<n>): "
          + String.join(", ", bad), bad);
    }
    return held;
  }

  /** Removes the worker at once; the registry re-queues its running attempts as new attempts. */
  CompletionStage<Done> deregister(String workerId) {
    return poolOf(workerId)
        .thenCompose(pool -> asking.ask(gantry.registry(pool),
            (ActorRef<StatusReply<Done>> reply) -> new RegistryProtocol.Deregister(workerId, reply)))
        .thenCompose(done -> {
          poolCache.remove(workerId);
          return redis.connection().run("HDEL " + poolsKey, r -> r.hdel(poolsKey, workerId)).handle((n, e) -> done);
        });
  }

  /**
   * Waits up to {@code waitMs} for up to {@code max} jobs. Each job handed out is reported started to its Execution
   * at once, so it shows running (and its timeout runs) from now.
   */
  CompletionStage<List<Assignment>> poll(String workerId, int max, long waitMs) {
    Duration timeout = Duration.ofMillis(waitMs).plus(POLL_MARGIN);
    return poolOf(workerId)
        .thenCompose(pool -> asking.ask(gantry.registry(pool),
            (ActorRef<StatusReply<RegistryProtocol.PolledJobs>> reply) ->
                new RegistryProtocol.Poll(workerId, max, waitMs, reply),
            timeout))
        .thenApply(RegistryProtocol.PolledJobs::jobs)
        .thenApply(offers -> {
          long now = System.currentTimeMillis();
          return offers.stream().map(o -> {
            handedOutAt.put(o.attemptId(), now);
            gantry.execution(o.executionId()).tell(new ExecutionProtocol.ReportStarted(o.jobId(), o.attemptId(), workerId,
                null, now));
            return new Assignment(o.attemptId(), o.executionId(), o.jobId(), o.type(), o.config(),
                o.dependencyOutputs(), o.timeoutMs(), o.attempt(), o.lastCheckpoint(), o.priority());
          }).toList();
        });
  }

  /** STALE_ATTEMPT when the attempt is no longer its job's current one; NOT_FOUND for what is no attempt id. */
  CompletionStage<Done> progress(String workerId, String attemptId, WorkerRequests.Progress p) {
    AttemptIds.Parsed parsed = AttemptIds.parse(attemptId);
    if (parsed == null) {
      return CompletableFuture.failedFuture(noSuchAttempt(attemptId));
    }
    return asking.ask(gantry.execution(parsed.executionId()),
        (ActorRef<StatusReply<Done>> reply) -> new ExecutionProtocol.ReportProgress(parsed.jobId(), attemptId, p.percent(),
            p.message(), p.checkpoint(), reply));
  }

  /**
   * Records the attempt's result (STALE_ATTEMPT, changing nothing, when it was superseded) and, whatever the
   * answer, frees the worker's slot in its registry.
   */
  CompletionStage<Done> complete(String workerId, String attemptId, WorkerRequests.Complete c) {
    AttemptIds.Parsed parsed = AttemptIds.parse(attemptId);
    if (parsed == null) {
      return CompletableFuture.failedFuture(noSuchAttempt(attemptId));
    }
    long finishedAt = System.currentTimeMillis();
    Long took = c.metadata() == null ? null : c.metadata().executionTime();
    Long handedOut = handedOutAt.get(attemptId);
    long startedAt = took != null ? finishedAt - took : handedOut != null ? handedOut : finishedAt;
    CompletionStage<Done> recorded = asking.ask(gantry.execution(parsed.executionId()),
        (ActorRef<StatusReply<Done>> reply) -> new ExecutionProtocol.ReportFinished(parsed.jobId(), attemptId, workerId,
            c.success(), c.output(), text(c.error()), text(c.logs()), startedAt, finishedAt, reply));
    return recorded.whenComplete((done, e) -> {
      handedOutAt.remove(attemptId);
      poolOf(workerId).thenAccept(pool ->
          gantry.registry(pool).tell(new RegistryProtocol.AttemptEnded(workerId, attemptId)));
    });
  }

  CompletionStage<WorkerInfo> status(String workerId) {
    return poolOf(workerId).thenCompose(pool -> gantry.worker(pool, workerId));
  }

  /** Every worker of every pool this node knows of, HTTP workers' pools included. */
  CompletionStage<List<WorkerInfo>> list() {
    return pools().thenCompose(gantry::workers);
  }

  /** Every pool that exists ({@link Gantry#knownPools()}, HTTP workers' included) and those this node saw. */
  CompletionStage<Set<String>> pools() {
    return gantry.knownPools().thenApply(known -> {
      Set<String> pools = new LinkedHashSet<>(known);
      pools.addAll(poolCache.values());
      return pools;
    });
  }

  /** The pool of a worker: cache, Redis, else a search of every pool (cluster workers are not in Redis). */
  CompletionStage<String> poolOf(String workerId) {
    return knownPool(workerId).thenCompose(pool -> pool != null ? CompletableFuture.completedFuture(pool)
        : list().thenApply(all -> all.stream().filter(w -> w.workerId().equals(workerId)).findFirst()
            .map(WorkerInfo::pool)
            .orElseThrow(() -> new GantryException(ErrorCode.NOT_FOUND, "worker " + workerId + " is not registered"
                + " (or expired long ago); register again"))));
  }

  private CompletionStage<String> knownPool(String workerId) {
    String cached = poolCache.get(workerId);
    if (cached != null) {
      return CompletableFuture.completedFuture(cached);
    }
    return redis.connection().run("HGET " + poolsKey, r -> r.hget(poolsKey, workerId)).handle((pool, e) -> {
      if (e != null) {
        throw unavailable(e);
      }
      if (pool != null) {
        poolCache.put(workerId, pool);
      }
      return pool;
    });
  }

  private CompletionStage<Void> remember(String workerId, String pool) {
    CompletionStage<Long> names = redis.connection().run("SADD " + poolNamesKey, r -> r.sadd(poolNamesKey, pool));
    return redis.connection().run("HSET " + poolsKey, r -> r.hset(poolsKey, workerId, pool))
        .thenCombine(names, (a, b) -> (Void) null)
        .handle((v, e) -> {
          if (e != null) {
            throw unavailable(e);
          }
          poolCache.put(workerId, pool);
          return null;
        });
  }

  private GantryException unavailable(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause(); // the connection's own error already names the address
    }
    return new GantryException(ErrorCode.UNAVAILABLE, "Redis at " + redis.address() + " did not answer: " + root.getMessage());
  }

  private static GantryException noSuchAttempt(String attemptId) {
    return new GantryException(ErrorCode.NOT_FOUND, "no such attempt: '" + attemptId
        + "' (attempt ids look like <executionId>:<jobId>:<n>, as the poll handed them out)");
  }

  private static String text(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.isArray()) {
      StringBuilder sb = new StringBuilder();
      node.forEach(line -> sb.append(sb.length() == 0 ? "" : "\n").append(line.isTextual() ? line.asText()
          : line.toString()));
      return sb.toString();
    }
    return node.toString();
  }
}
