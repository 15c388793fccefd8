package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.protocol.QueueStats;
import io.gantry.worker.remote.RemoteWorkers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the pool registries' queue and worker figures every {@code gantry.metrics.sample-interval} into gauges,
 * so a scrape reads memory and never waits on the cluster. The figures are cluster-wide (every API node reports
 * the same): aggregate them across nodes with max, not sum.
 */
final class MetricsSampler {
  private static final Logger log = LoggerFactory.getLogger(MetricsSampler.class);

  private final ActorSystem<?> system;
  private final RemoteWorkers workers;
  private final AtomicBoolean sampling = new AtomicBoolean();
  private final SampledGauge queueDepth;
  private final SampledGauge backlog;
  private final SampledGauge backlogOldest;
  private final SampledGauge oldestAge;
  private final SampledGauge running;
  private final SampledGauge paused;
  private final SampledGauge workersByStatus;
  private final SampledGauge capacity;
  private final SampledGauge load;
  private final SampledGauge utilization;

  private MetricsSampler(ActorSystem<?> system, RemoteWorkers workers, MeterRegistry registry) {
    this.system = system;
    this.workers = workers;
    this.queueDepth = new SampledGauge(registry, "gantry_queue_depth", null, "queued attempts by pool and priority");
    this.backlog = new SampledGauge(registry, "gantry_queue_backlog", null, "queued attempts by pool and required capability");
    this.backlogOldest = new SampledGauge(registry, "gantry_queue_backlog_oldest_age", "seconds",
        "age of the oldest queued attempt by pool and required capability");
    this.oldestAge = new SampledGauge(registry, "gantry_queue_oldest_age", "seconds", "age of the oldest queued attempt");
    this.running = new SampledGauge(registry, "gantry_queue_running", null, "attempts running on workers");
    this.paused = new SampledGauge(registry, "gantry_queue_paused", null, "1 while dispatch of the pool is paused");
    this.workersByStatus = new SampledGauge(registry, "gantry_workers", null, "registered workers by pool and status");
    this.capacity = new SampledGauge(registry, "gantry_worker_capacity", null, "job slots of the live workers");
    this.load = new SampledGauge(registry, "gantry_worker_load", null, "job slots in use");
    this.utilization = new SampledGauge(registry, "gantry_worker_utilization", null, "load / capacity, 0..1");
  }

  /** Starts sampling at once and then every interval, until the actor system terminates. */
  public static void start(ActorSystem<?> system, RemoteWorkers workers, MeterRegistry registry) {
    MetricsSampler sampler = new MetricsSampler(system, workers, registry);
    Duration every = system.settings().config().getDuration("gantry.metrics.sample-interval");
    system.scheduler().scheduleWithFixedDelay(Duration.ZERO, every, sampler::sample, system.executionContext());
  }

  /** One sample, skipped while the previous one is still waiting for the registries. */
  void sample() {
    if (!sampling.compareAndSet(false, true)) {
      return;
    }
    workers.pools().thenCompose(pools -> Gantry.get(system).queueStats(pools)).whenComplete((stats, e) -> {
      sampling.set(false);
      if (e != null) {
        log.debug("metrics sample skipped: {}", e.getMessage());
        return;
      }
      record(stats);
    });
  }

  private void record(List<QueueStats> stats) {
    Map<Tags, Number> depth = new LinkedHashMap<>();
    Map<Tags, Number> capabilityRows = new LinkedHashMap<>();
    Map<Tags, Number> capabilityAges = new LinkedHashMap<>();
    Map<Tags, Number> status = new LinkedHashMap<>();
    Map<Tags, Number> ages = new LinkedHashMap<>();
    Map<Tags, Number> runningRows = new LinkedHashMap<>();
    Map<Tags, Number> pausedRows = new LinkedHashMap<>();
    Map<Tags, Number> capacityRows = new LinkedHashMap<>();
    Map<Tags, Number> loadRows = new LinkedHashMap<>();
    Map<Tags, Number> utilizationRows = new LinkedHashMap<>();
    for (QueueStats s : stats) {
      Tags pool = Tags.of("pool", s.pool());
      for (int p = 1; p <= 10; p++) {
        depth.put(pool.and("priority", String.valueOf(p)), s.queuedByPriority().getOrDefault(String.valueOf(p), 0));
      }
      s.backlog().forEach((capability, b) -> {
        capabilityRows.put(pool.and("capability", capability), b.queued());
        capabilityAges.put(pool.and("capability", capability), b.oldestQueuedAgeMs() / 1000.0);
      });
      s.workersByStatus().forEach((st, n) -> status.put(pool.and("status", st), n));
      ages.put(pool, s.oldestQueuedAgeMs() / 1000.0);
      runningRows.put(pool, s.active());
      pausedRows.put(pool, s.paused() ? 1 : 0);
      capacityRows.put(pool, s.capacity());
      loadRows.put(pool, s.load());
      utilizationRows.put(pool, s.utilization());
    }
    queueDepth.set(depth);
    backlog.set(capabilityRows);
    backlogOldest.set(capabilityAges);
    workersByStatus.set(status);
    oldestAge.set(ages);
    running.set(runningRows);
    paused.set(pausedRows);
    capacity.set(capacityRows);
    load.set(loadRows);
    utilization.set(utilizationRows);
  }
}
