package io.gantry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * The node's Micrometer registry (scraped as Prometheus text at {@code /metrics}) and the job counters and
 * timers the Executions of this node record. Each node reports what happened on it; Prometheus sums the cluster.
 */
public final class GantryMetrics implements Extension {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter started = Counter.builder("gantry_jobs_started").description("attempts started").register(registry);
  private final Counter completed = Counter.builder("gantry_jobs_completed").description("jobs completed").register(registry);
  private final Counter failed = Counter.builder("gantry_jobs_failed").description("jobs failed for good").register(registry);
  private final Counter retried = Counter.builder("gantry_jobs_retried").description("attempts failed and retried").register(registry);
  private final Counter lost = Counter.builder("gantry_attempts_lost").description("attempts lost with their worker").register(registry);
  private final Timer dispatchLatency = Timer.builder("gantry_dispatch_latency")
      .description("queued to running").publishPercentileHistogram().register(registry);
  private final Timer jobDuration = Timer.builder("gantry_job_duration")
      .description("running to finished").publishPercentileHistogram().register(registry);

  private GantryMetrics() {}

  public static GantryMetrics get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void attemptStarted(long queuedAt, long startedAt) {
    started.increment();
    dispatchLatency.record(Duration.ofMillis(Math.max(0, startedAt - queuedAt)));
  }

  public void jobCompleted(long durationMs) {
    completed.increment();
    jobDuration.record(Duration.ofMillis(Math.max(0, durationMs)));
  }

  public void attemptFailed(boolean willRetry) {
    (willRetry ? retried : failed).increment();
  }

  public void attemptLost() {
    lost.increment();
  }

  private static final class Id extends ExtensionId<GantryMetrics> {
    static final Id INSTANCE = new Id();

    @Override
    public GantryMetrics createExtension(ActorSystem<?> system) {
      return new GantryMetrics();
    }
  }
}
