package io.gantry.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Percentiles and the peer's JSON shapes ({@code {n, p50, p95, p99, max}}, as its common.js summary()). */
final class Figures {
  private Figures() {}

  /** Nearest-rank percentile, as the peer's pct(). */
  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  /** {@code {"n":..,"p50":..,"p95":..,"p99":..,"max":..}} of {@code ms}. */
  static String summary(List<Double> ms) {
    if (ms.isEmpty()) {
      return "{\"n\":0}";
    }
    return String.format(Locale.ROOT, "{\"n\":%d,\"p50\":%.2f,\"p95\":%.2f,\"p99\":%.2f,\"max\":%.2f}", ms.size(),
        percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), Collections.max(ms));
  }
}
