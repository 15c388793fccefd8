package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON value checks shared by the parser and the built-in config rules. */
final class JsonValues {

  private static final int MAX_SHOWN_CHARS = 60;

  private JsonValues() {}

  /** The node as a long if it is a whole number that fits (5 and 5.0 alike), else null. */
  static Long wholeNumber(JsonNode node) {
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? node.longValue() : null;
    }
    if (node.isFloatingPointNumber()) {
      double value = node.doubleValue();
      boolean whole = value == Math.rint(value) && Math.abs(value) < 0x1p63;
      return whole ? (long) value : null;
    }
    return null;
  }

  /** The node as it would appear in JSON, shortened for an error message. */
  static String show(JsonNode node) {
    String text = node.toString();
    return text.length() > MAX_SHOWN_CHARS ? text.substring(0, MAX_SHOWN_CHARS) + "..." : text;
  }
}
