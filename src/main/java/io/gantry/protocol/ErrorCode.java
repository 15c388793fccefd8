package io.gantry.protocol;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.pekko.pattern.StatusReply;

/**
 * Every error code Gantry answers with, its wire string (the constant's name: API.md §3's {@code error.code}) and the
 * HTTP status it maps to. Actors refuse a command with {@link #reply}: error replies cross the cluster as text
 * "CODE: message", which {@link #parse} reads back at the edge.
 */
public enum ErrorCode {
  // what a request asks for does not hold
  BAD_REQUEST(400), INVALID_DAG(400), INVALID_JSON(400), INVALID_BODY(400), INVALID_WORKER(400),
  INVALID_HEARTBEAT(400), INVALID_POLL(400), INVALID_PROGRESS(400), INVALID_RESULT(400), INVALID_LOCK_REQUEST(400),
  UNAUTHORIZED(401), FORBIDDEN(403),
  NOT_FOUND(404), LOCK_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  // the state refuses it
  CONFLICT(409), STALE_ATTEMPT(409), LOCK_HELD(409), LOCK_NOT_HELD(409), NOT_LOCK_HOLDER(409),
  PAYLOAD_TOO_LARGE(413), UNSUPPORTED_MEDIA_TYPE(415),
  // a limit of the node (API.md "Limits"): the message and details name it; Retry-After says when to try again
  TOO_MANY_REQUESTS(429),
  // Gantry cannot serve it now: try again
  UNAVAILABLE(503), TIMEOUT(503), REDIS_UNAVAILABLE(503),
  // a bug: the text is still written for users, never a trace
  INTERNAL(500), INTERNAL_ERROR(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The error reply "CODE: message" an actor answers a refused command with. */
  public <T> StatusReply<T> reply(String message) {
    return StatusReply.error(name() + ": " + message);
  }

  /**
   * The code of an error reply read back from its failure ({@code StatusReply.ErrorMessage}, possibly wrapped in a
   * CompletionException); {@link #INTERNAL} for a text that does not start with a known code.
   */
  public static ErrorCode parse(Throwable failure) {
    return parse(text(failure));
  }

  /** The code of a "CODE: message" text, {@link #INTERNAL} when it has none. */
  public static ErrorCode parse(String text) {
    ErrorCode code = prefix(text);
    return code == null ? INTERNAL : code;
  }

  /** The message of a "CODE: message" text without its code (the whole text when it has none). */
  public static String message(String text) {
    return prefix(text) == null ? text : text.substring(text.indexOf(": ") + 2);
  }

  private static ErrorCode prefix(String text) {
    int colon = text == null ? -1 : text.indexOf(": ");
    if (colon > 0) {
      try {
        return valueOf(text.substring(0, colon));
      } catch (IllegalArgumentException notACode) {
        return null;
      }
    }
    return null;
  }

  private static String text(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
