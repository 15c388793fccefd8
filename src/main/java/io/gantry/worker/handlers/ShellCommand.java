package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A shell job's {@code config}: the argv to run, extra environment and an optional working directory. */
record ShellCommand(List<String> argv, Map<String, String> env, Path workingDir) {

  /** Reads the config; a config that breaks the rules (which the DAG validation checks first) throws. */
  static ShellCommand from(JsonNode config) {
    JsonNode command = config.get("command");
    if (command == null || !command.isArray() || command.isEmpty()) {
      throw new IllegalArgumentException("a shell job needs config.command, a non-empty list of strings");
    }
    List<String> argv = new ArrayList<>(command.size());
    for (JsonNode arg : command) {
      if (!arg.isTextual()) {
        throw new IllegalArgumentException("config.command must hold strings only, got " + arg);
      }
      argv.add(arg.textValue());
    }
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode envNode = config.get("env");
    if (envNode != null && envNode.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> entries = envNode.fields(); entries.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = entries.next();
        env.put(entry.getKey(), entry.getValue().asText());
      }
    }
    JsonNode workingDir = config.get("workingDir");
    return new ShellCommand(
        List.copyOf(argv), Map.copyOf(env), workingDir != null && workingDir.isTextual() ? Path.of(workingDir.textValue()) : null);
  }

  String program() {
    return argv.get(0);
  }

  /** The same command starting {@code executable} (the resolved program) instead of argv[0]. */
  ShellCommand withProgram(String executable) {
    List<String> replaced = new ArrayList<>(argv);
    replaced.set(0, executable);
    return new ShellCommand(List.copyOf(replaced), env, workingDir);
  }
}
