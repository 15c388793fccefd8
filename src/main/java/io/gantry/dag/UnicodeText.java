package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Finds text that is not valid Unicode in a parsed JSON tree: a lone UTF-16 surrogate, which JSON lets through as
 * {@code "\\ud800"} (or as CESU-8 bytes) but which cannot be written back as UTF-8. Stored and sent on, it makes
 * every later write of the value fail (the journal rejects the event), so bodies are checked when they arrive.
 */
public final class UnicodeText {

  private UnicodeText() {}

  /** Where the first string or field name with a lone surrogate is ({@code jobs[0].config.x}), if any. */
  public static Optional<String> loneSurrogate(JsonNode node) {
    return Optional.ofNullable(find(node, ""));
  }

  private static String find(JsonNode node, String at) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      return valid(node.textValue()) ? null : at.isEmpty() ? "the body" : at;
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        String found = find(node.get(i), at + "[" + i + "]");
        if (found != null) {
          return found;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String path = at.isEmpty() ? field.getKey() : at + "." + field.getKey();
        if (!valid(field.getKey())) {
          return "a field name in " + (at.isEmpty() ? "the body" : at);
        }
        String found = find(field.getValue(), path);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
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
