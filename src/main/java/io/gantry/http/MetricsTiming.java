package io.gantry.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Times every request (until its response starts) as {@code gantry_http_requests_seconds} tagged with method,
 * route template and status. Wraps the whole route, outside error handling, so errors and rejections count too.
 */
final class MetricsTiming {
  private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final MeterRegistry registry;
  /** The timer of each method, route template and status: built once, not per request. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  MetricsTiming(MeterRegistry registry) {
    this.registry = registry;
  }

  private Timer timer(String method, String route, int status) {
    return timers.computeIfAbsent(method + ' ' + route + ' ' + status, key -> Timer.builder("gantry_http_requests")
        .description("HTTP requests until their response starts, by method, route template and status")
        .tags("method", method, "route", route, "status", String.valueOf(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry));
  }

  Route timed(Route inner) {
    return Directives.extractRequest(request -> {
      long start = System.nanoTime();
      String method = request.method().name();
      String route = MetricsRouteTemplates.of(request.getUri().path());
      return Directives.mapResponse(response -> {
        timer(method, route, response.status().intValue()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return response;
      }, () -> inner);
    });
  }
}
