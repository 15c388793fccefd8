package io.gantry.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Human-readable epoch-millisecond times and durations; an absent or zero time shows blank. */
final class Times {
  private static final DateTimeFormatter LOCAL =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Times() {}

  static String at(Long epochMs) {
    return set(epochMs) ? LOCAL.format(Instant.ofEpochMilli(epochMs)) : "";
  }

  /** From {@code start} to {@code end}, or to {@code now} when it has not ended. */
  static String between(Long start, Long end, long now) {
    if (!set(start)) {
      return "";
    }
    long to = set(end) ? end : now;
    return duration(Math.max(0, to - start));
  }

  static String ago(Long epochMs, long now) {
    return set(epochMs) ? duration(Math.max(0, now - epochMs)) + " ago" : "";
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

  private static boolean set(Long epochMs) {
    return epochMs != null && epochMs > 0;
  }
}
