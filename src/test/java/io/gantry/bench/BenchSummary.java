package io.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the table of bench/run from its results file: one JSON line per result and round, each tagged by bench/run
 * with {@code system} (gantry or bullmq) and {@code scenario}. One line per figure: Gantry's median [min – max], the
 * peer's where it ran, and the ratio Gantry / BullMQ of the medians. Usage: {@code BenchSummary results.jsonl}.
 */
public final class BenchSummary {
  /** The peer's name for a figure that Gantry reports under another (bench-latency.js: worker = job completed). */
  private static final Map<String, String> PEER_ALIASES = Map.of("worker_ms", "completed_ms");
  private static final Pattern RATE = Pattern.compile("rate=(\\d+)/s x");

  public static void main(String[] args) throws Exception {
    // case -> system -> figure -> values over rounds
    Map<String, Map<String, Map<String, List<Double>>>> cases = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode r = BenchHttp.JSON.readTree(line);
      String key = r.path("scenario").asText();
      Matcher rate = RATE.matcher(r.path("config").asText());
      if (rate.find()) {
        key += " " + rate.group(1) + "/s";
      }
      Map<String, List<Double>> figures = cases.computeIfAbsent(key, k -> new LinkedHashMap<>())
          .computeIfAbsent(r.path("system").asText(), k -> new LinkedHashMap<>());
      boolean peer = r.path("system").asText().equals("bullmq");
      r.fields().forEachRemaining(f -> {
        String name = peer ? PEER_ALIASES.getOrDefault(f.getKey(), f.getKey()) : f.getKey();
        if (f.getValue().isNumber() && !name.equals("foreign_cpu_cores")) {
          figures.computeIfAbsent(name, k -> new ArrayList<>()).add(f.getValue().asDouble());
        } else if (f.getValue().isObject() && f.getValue().has("p50")) {
          for (String p : List.of("p50", "p95", "p99", "max")) {
            if (f.getValue().path(p).isNumber()) {
              figures.computeIfAbsent(name + " " + p, k -> new ArrayList<>()).add(f.getValue().get(p).asDouble());
            }
          }
        }
      });
    }
    System.out.println("| scenario | figure | Gantry median [min – max] | BullMQ median [min – max] | Gantry / BullMQ |");
    System.out.println("|---|---|---|---|---:|");
    cases.forEach((key, systems) -> {
      Map<String, List<Double>> gantry = systems.getOrDefault("gantry", Map.of());
      Map<String, List<Double>> peer = systems.getOrDefault("bullmq", Map.of());
      gantry.forEach((figure, values) -> {
        List<Double> theirs = peer.get(figure);
        String ratio = theirs == null || median(theirs) == 0 || figure.equals("load1") ? ""
            : String.format(Locale.ROOT, "%.2f", median(values) / median(theirs));
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", key, figure, spread(values),
            theirs == null ? "" : spread(theirs), ratio);
      });
    });
  }

  private static String spread(List<Double> values) {
    return format(median(values)) + " [" + format(Collections.min(values)) + " – " + format(Collections.max(values))
        + "] (" + values.size() + ")";
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String format(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
