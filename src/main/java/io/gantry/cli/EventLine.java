package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.PublicEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** One event of an execution as one line of text: local time, type, job, and what the event says in words. */
final class EventLine {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
  private static final int MAX_OUTPUT = 200;

  private EventLine() {}

  static String render(PublicEvent event) {
    JsonNode d = event.data();
    long time = d.path("time").asLong(0);
    String job = d.path("jobId").isTextual() ? d.path("jobId").asText() : "-";
    String line = String.format("%s  %-19s  %-12s  %s", time > 0 ? CLOCK.format(Instant.ofEpochMilli(time)) : "-",
        event.type(), job, detail(event)).stripTrailing();
    return line;
  }

  /** What the event adds to its type and job, in words; "" when nothing. */
  static String detail(PublicEvent event) {
    JsonNode d = event.data();
    List<String> parts = new ArrayList<>();
    switch (event.type()) {
      case "job-queued" -> add(parts, "attempt ", d.path("attempt"));
      case "job-started" -> add(parts, "on ", d.path("workerId"));
      case "job-progress" -> {
        if (d.path("percent").isNumber()) {
          parts.add(String.format("%.0f%%", d.path("percent").asDouble()));
        }
        add(parts, "", d.path("message"));
        if (isSet(d.path("checkpoint"))) {
          parts.add("checkpoint " + d.path("checkpoint"));
        }
      }
      case "job-retrying" -> {
        if (d.path("lost").asBoolean(false)) {
          parts.add("attempt lost" + (isSet(d.path("reason")) ? ": " + d.path("reason").asText() : ""));
        } else {
          add(parts, d.path("timedOut").asBoolean(false) ? "timed out: " : "error: ", d.path("error"));
        }
        if (d.path("retryAt").isNumber()) {
          parts.add("next attempt at " + Times.at(d.path("retryAt").asLong()));
        }
      }
      case "job-completed" -> {
        if (d.path("executionTimeMs").isNumber()) {
          parts.add("took " + Times.duration(d.path("executionTimeMs").asLong()));
        }
        if (isSet(d.path("output"))) {
          String output = d.path("output").toString();
          parts.add("output " + (output.length() > MAX_OUTPUT ? output.substring(0, MAX_OUTPUT - 3) + "..." : output));
        }
      }
      case "job-failed" -> add(parts, d.path("timedOut").asBoolean(false) ? "timed out: " : "error: ", d.path("error"));
      case "job-skipped" -> add(parts, "because ", d.path("becauseOf"), " failed");
      case "execution-cancelled", "execution-retried" -> {
        if (d.path("jobIds").isArray()) {
          parts.add(d.path("jobIds").size() + " jobs");
        }
      }
      case "checkpoint-linked" -> add(parts, "", d.path("checkpointId"));
      default -> { }
    }
    return String.join(", ", parts).replaceAll("\\s+", " ");
  }

  private static void add(List<String> parts, String before, JsonNode value) {
    add(parts, before, value, "");
  }

  private static void add(List<String> parts, String before, JsonNode value, String after) {
    if (isSet(value)) {
      parts.add(before + (value.isTextual() ? value.asText() : value.toString()) + after);
    }
  }

  private static boolean isSet(JsonNode value) {
    return value != null && !value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.asText().isEmpty());
  }
}
