package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.protocol.QueueStats;
import io.gantry.worker.remote.RemoteWorkers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  private final MultiGauge queueDepth;
  private final MultiGauge backlog;
  private final MultiGauge backlogOldest;
  private final MultiGauge oldestAge;
  private final MultiGauge running;
  private final MultiGauge paused;
  private final MultiGauge workersByStatus;
  private final MultiGauge capacity;
  private final MultiGauge load;
  private final MultiGauge utilization;

  private MetricsSampler(ActorSystem<?> system, RemoteWorkers workers, MeterRegistry registry) {
    this.system = system;
    this.workers = workers;
    this.queueDepth = gauge(registry, "gantry_queue_depth", null, "queued attempts by pool and priority");
    this.backlog = gauge(registry, "gantry_queue_backlog", null, "queued attempts by pool and required capability");
    this.backlogOldest = gauge(registry, "gantry_queue_backlog_oldest_age", "seconds",
        "age of the oldest queued attempt by pool and required capability");
    this.oldestAge = gauge(registry, "gantry_queue_oldest_age", "seconds", "age of the oldest queued attempt");
    this.running = gauge(registry, "gantry_queue_running", null, "attempts running on workers");
    this.paused = gauge(registry, "gantry_queue_paused", null, "1 while dispatch of the pool is paused");
    this.workersByStatus = gauge(registry, "gantry_workers", null, "registered workers by pool and status");
    this.capacity = gauge(registry, "gantry_worker_capacity", null, "job slots of the live workers");
    this.load = gauge(registry, "gantry_worker_load", null, "job slots in use");
    this.utilization = gauge(registry, "gantry_worker_utilization", null, "load / capacity, 0..1");
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
    List<MultiGauge.Row<?>> depth = new ArrayList<>();
    List<MultiGauge.Row<?>> capabilityRows = new ArrayList<>();
    List<MultiGauge.Row<?>> capabilityAges = new ArrayList<>();
    List<MultiGauge.Row<?>> status = new ArrayList<>();
    List<MultiGauge.Row<?>> ages = new ArrayList<>();
    List<MultiGauge.Row<?>> runningRows = new ArrayList<>();
    List<MultiGauge.Row<?>> pausedRows = new ArrayList<>();
    List<MultiGauge.Row<?>> capacityRows = new ArrayList<>();
    List<MultiGauge.Row<?>> loadRows = new ArrayList<>();
    List<MultiGauge.Row<?>> utilizationRows = new ArrayList<>();
    for (QueueStats s : stats) {
      Tags pool = Tags.of("pool", s.pool());
      for (int p = 1; p <= 10; p++) {
        depth.add(MultiGauge.Row.of(pool.and("priority", String.valueOf(p)),
            s.queuedByPriority().getOrDefault(String.valueOf(p), 0)));
      }
      s.backlog().forEach((capability, b) -> {
        capabilityRows.add(MultiGauge.Row.of(pool.and("capability", capability), b.queued()));
        capabilityAges.add(MultiGauge.Row.of(pool.and("capability", capability), b.oldestQueuedAgeMs() / 1000.0));
      });
      s.workersByStatus().forEach((st, n) -> status.add(MultiGauge.Row.of(pool.and("status", st), n)));
      ages.add(MultiGauge.Row.of(pool, s.oldestQueuedAgeMs() / 1000.0));
      runningRows.add(MultiGauge.Row.of(pool, s.active()));
      pausedRows.add(MultiGauge.Row.of(pool, s.paused() ? 1 : 0));
      capacityRows.add(MultiGauge.Row.of(pool, s.capacity()));
      loadRows.add(MultiGauge.Row.of(pool, s.load()));
      utilizationRows.add(MultiGauge.Row.of(pool, s.utilization()));
    }
    queueDepth.register(depth, true);
    backlog.register(capabilityRows, true);
    backlogOldest.register(capabilityAges, true);
    workersByStatus.register(status, true);
    oldestAge.register(ages, true);
    running.register(runningRows, true);
    paused.register(pausedRows, true);
    capacity.register(capacityRows, true);
    load.register(loadRows, true);
    utilization.register(utilizationRows, true);
  }

  private static MultiGauge gauge(MeterRegistry registry, String name, String unit, String description) {
    MultiGauge.Builder b = MultiGauge.builder(name).description(description);
    if (unit != null) {
      b = b.baseUnit(unit);
    }
    return b.register(registry);
  }
}
