package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * What a JSON body must be beyond its syntax for Gantry to store it and write it again later: text that is valid
 * Unicode, and nesting well inside Jackson's write limit. A lone UTF-16 surrogate ({@code "\\ud800"}, or CESU-8
 * bytes) parses but cannot be written as UTF-8; a value nested 1000 deep parses, but the stored event that wraps it
 * is deeper than Jackson writes. Stored anyway, either made the journal reject the execution's events, so bodies are
 * checked when they arrive.
 */
public final class StorableJson {
  /** How deep a body may nest (objects and arrays); stored events add their own levels around it. */
  public static final int MAX_DEPTH = 200;

  private StorableJson() {}

  /** Why {@code node} cannot be stored, naming where ({@code jobs[0].config.x}), if it cannot. */
  public static Optional<String> problem(JsonNode node) {
    return Optional.ofNullable(find(node, "", 0));
  }

  private static String find(JsonNode node, String at, int depth) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return valid(node.textValue()) ? null : where(at) + " has a lone UTF-16 surrogate (\\ud800-\\udfff outside "
          + "a pair): text must be valid Unicode";
    }
    if (node.isContainerNode() && depth >= MAX_DEPTH) {
      return where(at) + " is nested more than " + MAX_DEPTH + " levels deep (objects and arrays)";
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = find(node.get(i), at + "[" + i + "]", depth + 1);
        if (found != null) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!valid(field.getKey())) {
          return "a field name in " + where(at) + " has a lone UTF-16 surrogate: text must be valid Unicode";
        }
        String found = find(field.getValue(), at.isEmpty() ? field.getKey() : at + "." + field.getKey(), depth + 1);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static String where(String at) {
    return at.isEmpty() ? "the body" : at;
  }

  /** True when every surrogate in {@code s} is half of a pair. */
  static boolean valid(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
