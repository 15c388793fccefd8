package io.gantry.worker.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/**
 * A {@code ::progress {"percent":40,"message":"...","checkpoint":{...}}} line a shell job prints to
 * report progress; every field is optional.
 */
record ProgressLine(Double percent, String message, JsonNode checkpoint) {

  static final String PREFIX = "::progress";

  static boolean isProgress(String line) {
    return line.startsWith(PREFIX + " ") || line.equals(PREFIX);
  }

  /** The progress a line reports, or empty when its JSON is malformed. */
  static Optional<ProgressLine> parse(String line, ObjectMapper mapper) {
    String json = line.substring(PREFIX.length()).trim();
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    JsonNode percent = given(node, "percent");
    JsonNode message = given(node, "message");
    if ((percent != null && !percent.isNumber()) || (message != null && !message.isTextual())) {
      return Optional.empty();
    }
    return Optional.of(new ProgressLine(
        percent == null ? null : percent.doubleValue(),
        message == null ? null : message.textValue(),
        given(node, "checkpoint")));
  }

  private static JsonNode given(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }
}
