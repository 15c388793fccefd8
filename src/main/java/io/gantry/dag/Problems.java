package io.gantry.dag;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem found in a document, so a user can fix them all in one go. */
final class Problems {

  private static final int MAX_QUOTED_CHARS = 80;

  private final List<String> details = new ArrayList<>();

  void add(String where, String problem) {
    details.add(where == null ? problem : where + ": " + problem);
  }

  boolean isEmpty() {
    return details.isEmpty();
  }

  void throwIfAny() {
    if (!details.isEmpty()) {
      throw DagValidationException.invalidDag(details);
    }
  }

  /** How details name a job: {@code jobs[3] (id "train")}, or {@code jobs[3]} when it has no usable id. */
  static String jobLabel(String prefix, String id) {
    return id == null ? prefix : prefix + " (id " + quote(id) + ")";
  }

  static String jobLabel(int index, String id) {
    return jobLabel("jobs[" + index + "]", id);
  }

  /** A user's string as a JSON literal, shortened so one bad value cannot flood the answer. */
  static String quote(String value) {
    String shown = value.length() > MAX_QUOTED_CHARS ? value.substring(0, MAX_QUOTED_CHARS) + "..." : value;
    return TextNode.valueOf(shown).toString();
  }
}
