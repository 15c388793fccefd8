package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.persistence.redis.client.RedisHealth;
import io.gantry.persistence.redis.RedisPersistence;
import io.gantry.protocol.QueueStats;
import io.gantry.protocol.WorkerInfo;
import io.gantry.redis.GantryRedis;
import io.gantry.worker.remote.RemoteWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

/**
 * The checks behind /health/*. None of them fails: an unreachable Redis or a silent registry is a DOWN report
 * whose reason names what did not answer.
 */
final class HealthChecks {
  private static final Duration READY_PING = Duration.ofSeconds(1);
  private static final Duration STATE_TIMEOUT = Duration.ofSeconds(3);
  private static final Set<String> LIVE_STATUSES = Set.of("active", "idle", "busy");

  private final ActorSystem<?> system;
  private final GantryRedis redis;
  private final RemoteWorkers workers;
  /** Null, or the warning that the API is open to the network with no token (the settings do not change). */
  private final String exposedWarning;

  HealthChecks(ActorSystem<?> system, RemoteWorkers workers) {
    this.system = system;
    this.redis = GantryRedis.get(system);
    this.workers = workers;
    this.exposedWarning = HttpSettings.fromConfig(system.settings().config()).exposure().orElse(null);
  }

  /** Ready: this node is Up in the cluster and Redis answers PING within a second. */
  CompletionStage<HealthReport> ready() {
    MemberStatus member = Cluster.get(system).selfMember().status();
    String memberName = member.toString();
    if (member != MemberStatus.up()) {
      return done(HealthReport.down("this node is " + memberName + " in the cluster, not Up",
          Map.of("cluster", memberName)));
    }
    return ping(READY_PING).handle((pong, e) -> e == null
        ? HealthReport.up(Map.of("cluster", memberName, "redis", redis.address()))
        : HealthReport.down(redisDown(e, READY_PING), Map.of("cluster", memberName, "redis", redis.address())));
  }

  /** State: Gantry's Redis and the journal's Redis answer, with the journal's warnings about losing data. */
  CompletionStage<HealthReport> state() {
    CompletionStage<String> gantryRedis = ping(STATE_TIMEOUT).handle((pong, e) -> e == null ? null
        : redisDown(e, STATE_TIMEOUT));
    CompletionStage<RedisHealth> journal = RedisPersistence.get(system).redisHealth().toCompletableFuture()
        .completeOnTimeout(null, STATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return gantryRedis.thenCombine(journal, (gantryProblem, health) -> {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("redis", Map.of("address", redis.address(), "reachable", gantryProblem == null));
      details.put("journal", journalDetails(health));
      List<String> warnings = new ArrayList<>(health == null ? List.of() : health.warnings());
      if (exposedWarning != null) {
        warnings.add(0, exposedWarning);
      }
      details.put("warnings", warnings);
      if (gantryProblem != null) {
        return HealthReport.down(gantryProblem, details);
      }
      if (health == null) {
        return HealthReport.down("the journal's Redis did not answer within " + STATE_TIMEOUT.toMillis() + " ms",
            details);
      }
      if (!health.reachable()) {
        return HealthReport.down(health.warnings().isEmpty() ? "the journal's Redis at " + health.address()
            + " is unreachable" : health.warnings().get(0), details);
      }
      return HealthReport.up(details);
    });
  }

  /** Workers: UP with counts by status while at least one worker is active, idle or busy. */
  CompletionStage<HealthReport> workers() {
    return workers.list().handle((all, e) -> {
      if (e != null) {
        return HealthReport.down("the worker registries did not answer: " + message(e), Map.of());
      }
      Map<String, Integer> byStatus = new TreeMap<>();
      all.forEach(w -> byStatus.merge(w.status(), 1, Integer::sum));
      long live = all.stream().map(WorkerInfo::status).filter(LIVE_STATUSES::contains).count();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("live", live);
      details.put("total", all.size());
      details.put("byStatus", byStatus);
      return live == 0 ? HealthReport.down("no live workers", details) : HealthReport.up(details);
    });
  }

  /** Queue: queued and running attempts, the oldest queued age and whether dispatch is paused, per pool. */
  CompletionStage<HealthReport> queue() {
    return workers.pools().thenCompose(pools -> Gantry.get(system).queueStats(pools)).handle((stats, e) -> {
      if (e != null) {
        return HealthReport.down("the worker registries did not answer: " + message(e), Map.of());
      }
      int queued = 0;
      int active = 0;
      long oldest = 0;
      boolean paused = false;
      Map<String, Object> pools = new TreeMap<>();
      for (QueueStats s : stats) {
        queued += s.queued();
        active += s.active();
        oldest = Math.max(oldest, s.oldestQueuedAgeMs());
        paused |= s.paused();
        pools.put(s.pool(), Map.of("queued", s.queued(), "active", s.active(), "paused", s.paused(),
            "oldestQueuedAgeMs", s.oldestQueuedAgeMs()));
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("queued", queued);
      details.put("active", active);
      details.put("oldestQueuedAgeMs", oldest);
      details.put("paused", paused);
      details.put("pools", pools);
      return HealthReport.up(details);
    });
  }

  private CompletionStage<String> ping(Duration within) {
    return redis.connection().run("PING", r -> r.ping()).toCompletableFuture()
        .orTimeout(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  private String redisDown(Throwable e, Duration within) {
    Throwable cause = unwrap(e);
    // The root cause: the connection's own error already names the address.
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String why = cause instanceof TimeoutException ? "no answer to PING within " + within.toMillis() + " ms"
        : message(cause);
    return "Redis at " + redis.address() + " is unreachable: " + why;
  }

  private static Map<String, Object> journalDetails(RedisHealth h) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (h == null) {
      m.put("reachable", false);
      return m;
    }
    m.put("address", h.address());
    m.put("reachable", h.reachable());
    h.maxmemoryPolicy().ifPresent(p -> m.put("maxmemoryPolicy", p));
    h.aofEnabled().ifPresent(a -> m.put("aofEnabled", a));
    h.rdbEnabled().ifPresent(r -> m.put("rdbEnabled", r));
    return m;
  }

  private static CompletionStage<HealthReport> done(HealthReport r) {
    return java.util.concurrent.CompletableFuture.completedFuture(r);
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static String message(Throwable e) {
    Throwable t = unwrap(e);
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
