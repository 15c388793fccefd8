package io.gantry.protocol;

import java.util.List;

/**
 * A request Gantry refused or could not serve, with the {@link ErrorCode} that says why (the HTTP face answers its
 * status, API.md §3) and a message a user can act on. The facade's stages and the actors' error replies read back
 * at the edge complete with it.
 */
public final class GantryException extends RuntimeException {
  private final ErrorCode code;
  private final List<String> details;

  public GantryException(ErrorCode code, String message) {
    this(code, message, List.of());
  }

  public GantryException(ErrorCode code, String message, List<String> details) {
    super(message);
    this.code = code;
    this.details = details == null ? List.of() : List.copyOf(details);
  }

  /** The code's wire name: NOT_FOUND, CONFLICT, INVALID_DAG, STALE_ATTEMPT, UNAVAILABLE, ... */
  public String code() {
    return code.name();
  }

  public ErrorCode errorCode() {
    return code;
  }

  public List<String> details() {
    return details;
  }

  /** Turns an actor's "CODE: message" error reply back into an exception with that code. */
  public static GantryException fromReply(String text) {
    return new GantryException(ErrorCode.parse(text), ErrorCode.message(text));
  }
}
