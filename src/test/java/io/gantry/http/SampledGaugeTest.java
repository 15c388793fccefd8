package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampledGaugeTest {

  @Test
  void rowsOfAPreviousSampleThatAreGoneDisappearAndValuesAreTheNewOnes() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    SampledGauge gauge = new SampledGauge(registry, "test_rows", null, "rows");
    gauge.set(Map.of(Tags.of("pool", "a"), 1, Tags.of("pool", "b"), 2));
    gauge.set(Map.of(Tags.of("pool", "a"), 5.5));
    gauge.set(Map.of(Tags.of("pool", "a"), 7));
    String text = registry.scrape();
    assertTrue(text.contains("test_rows{pool=\"a\"} 7.0"), text);
    assertTrue(!text.contains("pool=\"b\""), text);
  }
}
