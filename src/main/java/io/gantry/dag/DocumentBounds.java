package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Bounds on what a submitted document may hold beyond its field rules (API.md §2, "Limits"), checked on the JSON
 * as it arrives ({@link DagParser}), never on replay, so documents stored before a bound existed still recover.
 * Counts over their bound are INVALID_DAG (400); sizes over theirs are PAYLOAD_TOO_LARGE (413). Each problem
 * names the job, the field and the bound.
 */
public final class DocumentBounds {

  public static final int MAX_DEPENDENCIES_PER_JOB = 1_000;
  public static final int MAX_DEPENDENCIES = 100_000;
  public static final int MAX_CAPABILITIES = 16;
  public static final int MAX_COMMAND_ARGS = 1_024;
  public static final int MAX_ARG_CHARS = 32 * 1024;
  public static final int MAX_ENV_ENTRIES = 256;
  public static final int MAX_ENV_NAME_CHARS = 256;
  public static final int MAX_ENV_VALUE_CHARS = 32 * 1024;
  public static final int MAX_WORKING_DIR_CHARS = 4_096;
  public static final int MAX_CONFIG_BYTES = 256 * 1024;
  public static final int MAX_METADATA_BYTES = 16 * 1024;
  public static final int MAX_DEPTH = 32;

  static final String PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE";

  private final List<String> sizes = new ArrayList<>();
  private int dependencies;

  DocumentBounds() {}

  /** A document's {@code metadata} (also a queue job's): at most {@link #MAX_METADATA_BYTES}, {@link #MAX_DEPTH}. */
  public static void checkMetadata(JsonNode metadata, String where) {
    DocumentBounds bounds = new DocumentBounds();
    bounds.size(metadata, where, "metadata", MAX_METADATA_BYTES);
    bounds.throwIfTooLarge();
  }

  void metadata(JsonNode metadata) {
    size(metadata, null, "metadata", MAX_METADATA_BYTES);
  }

  /** Counts go to {@code problems} (400); sizes are kept for {@link #throwIfTooLarge} (413). */
  void job(JsonNode job, String where, Problems problems) {
    JsonNode deps = job.get("dependsOn");
    if (deps != null && deps.isArray()) {
      dependencies += deps.size();
      if (deps.size() > MAX_DEPENDENCIES_PER_JOB) {
        problems.add(where, "dependsOn has " + deps.size() + " entries, at most " + MAX_DEPENDENCIES_PER_JOB
            + " are allowed (the bound of dependsOn per job)");
      }
    }
    JsonNode caps = job.get("requiredCapabilities");
    if (caps != null && caps.isArray() && caps.size() > MAX_CAPABILITIES) {
      problems.add(where, "requiredCapabilities has " + caps.size() + " entries, at most " + MAX_CAPABILITIES
          + " are allowed");
    }
    JsonNode config = job.get("config");
    if (config == null || !config.isObject()) {
      return;
    }
    size(config, where, "config", MAX_CONFIG_BYTES);
    JsonNode command = config.get("command");
    if (command != null && command.isArray()) {
      if (command.size() > MAX_COMMAND_ARGS) {
        problems.add(where, "config.command has " + command.size() + " arguments, at most " + MAX_COMMAND_ARGS
            + " are allowed");
      }
      for (int i = 0; i < command.size(); i++) {
        chars(command.get(i), where, "config.command[" + i + "]", MAX_ARG_CHARS);
      }
    }
    JsonNode env = config.get("env");
    if (env != null && env.isObject()) {
      if (env.size() > MAX_ENV_ENTRIES) {
        problems.add(where, "config.env has " + env.size() + " entries, at most " + MAX_ENV_ENTRIES + " are allowed");
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().length() > MAX_ENV_NAME_CHARS) {
          sizes.add(label(where) + "a config.env name is " + e.getKey().length() + " characters long, at most "
              + MAX_ENV_NAME_CHARS + " are allowed");
        }
        chars(e.getValue(), where, "config.env." + Problems.quote(e.getKey()), MAX_ENV_VALUE_CHARS);
      }
    }
    chars(config.get("workingDir"), where, "config.workingDir", MAX_WORKING_DIR_CHARS);
  }

  /** The document-wide count, once every job was seen. */
  void total(Problems problems) {
    if (dependencies > MAX_DEPENDENCIES) {
      problems.add(null, "the jobs have " + dependencies + " dependsOn entries in all, at most " + MAX_DEPENDENCIES
          + " are allowed per document");
    }
  }

  /** Sizes first: a document too large in one place is refused with 413 before its other problems. */
  void throwIfTooLarge() {
    if (sizes.isEmpty()) {
      return;
    }
    String first = sizes.get(0);
    int more = sizes.size() - 1;
    throw new DagValidationException(PAYLOAD_TOO_LARGE, "Too large: " + first
        + (more == 0 ? "." : " (and " + more + " more, see details)."),
        sizes.size() > DagValidationException.MAX_DETAILS ? sizes.subList(0, DagValidationException.MAX_DETAILS)
            : sizes);
  }

  private void chars(JsonNode value, String where, String field, int max) {
    if (value != null && value.isTextual() && value.textValue().length() > max) {
      sizes.add(label(where) + field + " is " + value.textValue().length() + " characters long, at most " + max
          + " are allowed");
    }
  }

  private void size(JsonNode value, String where, String field, int maxBytes) {
    if (value == null || value.isNull()) {
      return;
    }
    int depth = depth(value, 0);
    if (depth > MAX_DEPTH) {
      sizes.add(label(where) + field + " nests deeper than " + MAX_DEPTH + " levels");
      return;
    }
    int bytes = value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      sizes.add(label(where) + field + " is " + bytes + " bytes as JSON, at most " + maxBytes + " are allowed");
    }
  }

  /** Stops counting past the bound, so a hostile depth costs no more than the bound. */
  private static int depth(JsonNode node, int level) {
    if (level > MAX_DEPTH || !node.isContainerNode()) {
      return level;
    }
    int deepest = level + 1;
    for (JsonNode child : node) {
      deepest = Math.max(deepest, depth(child, level + 1));
      if (deepest > MAX_DEPTH) {
        break;
      }
    }
    return deepest;
  }

  private static String label(String where) {
    return where == null ? "" : where + ": ";
  }
}
