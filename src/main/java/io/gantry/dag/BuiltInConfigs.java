package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** The {@code config} rules of the built-in job types (API.md §2); other types take any config. */
final class BuiltInConfigs {

  private BuiltInConfigs() {}

  static void check(String type, JsonNode config, String where, Problems problems) {
    JsonNode object = config != null && config.isObject() ? config : null;
    switch (type) {
      case "shell" -> checkShell(object, where, problems);
      case "sleep" -> checkSleep(object, where, problems);
      case "fail" -> checkFail(object, where, problems);
      default -> {
        // noop and custom types: any config.
      }
    }
  }

  private static void checkShell(JsonNode config, String where, Problems problems) {
    JsonNode command = config == null ? null : given(config, "command");
    if (command == null) {
      problems.add(where, "config.command is required for a shell job: an argv list such as [\"python3\", \"train.py\"]");
    } else if (!command.isArray() || command.isEmpty()) {
      problems.add(where, "config.command must be a non-empty list of strings, got " + JsonValues.show(command));
    } else {
      for (int i = 0; i < command.size(); i++) {
        if (!command.get(i).isTextual()) {
          problems.add(where, "config.command[" + i + "] must be a string, got " + JsonValues.show(command.get(i)));
        }
      }
      if (command.get(0).isTextual() && command.get(0).textValue().isEmpty()) {
        problems.add(where, "config.command[0] (the program) must not be empty");
      }
    }
    if (config == null) {
      return;
    }
    JsonNode env = given(config, "env");
    if (env != null && !env.isObject()) {
      problems.add(where, "config.env must be an object of strings, got " + JsonValues.show(env));
    } else if (env != null) {
      for (Iterator<Map.Entry<String, JsonNode>> entries = env.fields(); entries.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = entries.next();
        if (!entry.getValue().isTextual()) {
          problems.add(
              where, "config.env." + entry.getKey() + " must be a string, got " + JsonValues.show(entry.getValue()));
        }
      }
    }
    JsonNode workingDir = given(config, "workingDir");
    if (workingDir != null && !workingDir.isTextual()) {
      problems.add(where, "config.workingDir must be a string, got " + JsonValues.show(workingDir));
    }
  }

  private static void checkSleep(JsonNode config, String where, Problems problems) {
    JsonNode ms = config == null ? null : given(config, "ms");
    if (ms == null) {
      problems.add(where, "config.ms is required for a sleep job: how long to sleep, in milliseconds");
    } else {
      checkNonNegativeInteger(ms, "config.ms", where, problems);
    }
  }

  private static void checkFail(JsonNode config, String where, Problems problems) {
    if (config == null) {
      return;
    }
    JsonNode times = given(config, "times");
    if (times != null) {
      checkNonNegativeInteger(times, "config.times", where, problems);
    }
    JsonNode message = given(config, "message");
    if (message != null && !message.isTextual()) {
      problems.add(where, "config.message must be a string, got " + JsonValues.show(message));
    }
  }

  private static void checkNonNegativeInteger(JsonNode value, String field, String where, Problems problems) {
    Long number = JsonValues.wholeNumber(value);
    if (number == null || number < 0) {
      problems.add(where, field + " must be a non-negative integer, got " + JsonValues.show(value));
    }
  }

  private static JsonNode given(JsonNode config, String name) {
    JsonNode value = config.get(name);
    return value == null || value.isNull() ? null : value;
  }
}
