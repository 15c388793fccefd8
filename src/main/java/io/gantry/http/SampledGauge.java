package io.gantry.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A gauge with one row per tag set whose values are replaced by each sample. Rows keep their value holder across
 * samples and are registered without overwriting: Micrometer's overwrite removes and re-adds a row's gauge, and a
 * Prometheus scrape in between sees both and fails with DuplicateLabelsException (micrometer#6851).
 */
final class SampledGauge {
  private final MultiGauge gauge;
  private final Map<Tags, AtomicLong> values = new ConcurrentHashMap<>();

  SampledGauge(MeterRegistry registry, String name, String unit, String description) {
    MultiGauge.Builder b = MultiGauge.builder(name).description(description);
    if (unit != null) {
      b = b.baseUnit(unit);
    }
    this.gauge = b.register(registry);
  }

  /** One sample: these rows with these values; rows of the previous sample that are not in it disappear. */
  synchronized void set(Map<Tags, ? extends Number> sample) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>(sample.size());
    sample.forEach((tags, value) -> {
      AtomicLong holder = values.computeIfAbsent(tags, t -> new AtomicLong());
      holder.set(Double.doubleToLongBits(value.doubleValue()));
      rows.add(MultiGauge.Row.of(tags, holder, h -> Double.longBitsToDouble(h.get())));
    });
    values.keySet().retainAll(sample.keySet());
    gauge.register(rows, false);
  }
}
