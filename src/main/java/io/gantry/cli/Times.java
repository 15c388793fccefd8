package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Human-readable epoch-millisecond times and durations. */
final class Times {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Times() {}

  static String at(JsonNode epochMs) {
    return epochMs.isNumber() && epochMs.asLong() > 0 ? LOCAL.format(Instant.ofEpochMilli(epochMs.asLong())) : "";
  }

  /** From {@code start} to {@code end}, or to {@code now} when it has not ended. */
  static String between(JsonNode start, JsonNode end, long now) {
    if (!start.isNumber() || start.asLong() <= 0) {
      return "";
    }
    long to = end.isNumber() && end.asLong() > 0 ? end.asLong() : now;
    return duration(Math.max(0, to - start.asLong()));
  }

  static String ago(JsonNode epochMs, long now) {
    return epochMs.isNumber() && epochMs.asLong() > 0 ? duration(Math.max(0, now - epochMs.asLong())) + " ago" : "";
  }

  static String duration(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
  }
}
