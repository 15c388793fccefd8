package io.gantry;

import java.util.List;

/**
 * A request Gantry refused or could not serve, with a code the HTTP face maps to a status (API.md §3 errors) and a
 * message a user can act on.
 */
public final class GantryException extends RuntimeException {
  private final String code;
  private final List<String> details;

  public GantryException(String code, String message) {
    this(code, message, List.of());
  }

  public GantryException(String code, String message, List<String> details) {
    super(message);
    this.code = code;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  public String code() {
    return code;
  }

  public List<String> details() {
    return details;
  }

  /** Turns an actor's "CODE: message" error reply back into an exception with that code. */
  public static GantryException fromReply(String text) {
    int colon = text.indexOf(": ");
    if (colon > 0 && text.substring(0, colon).chars().allMatch(c -> c == '_' || Character.isUpperCase(c))) {
      return new GantryException(text.substring(0, colon), text.substring(colon + 2));
    }
    return new GantryException("INTERNAL", text);
  }
}
