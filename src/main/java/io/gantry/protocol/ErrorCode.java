package io.gantry.protocol;

import java.util.Optional;
import org.apache.pekko.pattern.StatusReply;

/**
 * Every error code Gantry answers with (API.md §3: {@code {"error": {"code": ...}}}). The name is the wire string.
 * Error replies cross the cluster as text, "CODE: message" ({@link #format}, {@link #reply}); the edge reads them back
 * with {@link #parse}. Each code carries the HTTP status the API answers it with.
 */
public enum ErrorCode {
  // ---- refusals an actor or the facade answers (carried in StatusReply errors and GantryException)
  NOT_FOUND(404),
  CONFLICT(409),
  /** A worker reported on an attempt that is no longer its job's current one. */
  STALE_ATTEMPT(409),
  INVALID_DAG(400),
  INVALID_JSON(400),
  BAD_REQUEST(400),
  /** Redis or the cluster did not answer (in time). */
  UNAVAILABLE(503),
  /** A failure without a code of its own; its message is written for users, never a trace. */
  INTERNAL(500),

  // ---- refusals of the HTTP edge
  INVALID_BODY(400),
  INVALID_WORKER(400),
  INVALID_HEARTBEAT(400),
  INVALID_POLL(400),
  INVALID_PROGRESS(400),
  INVALID_RESULT(400),
  INVALID_LOCK_REQUEST(400),
  UNAUTHORIZED(401),
  LOCK_NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  LOCK_HELD(409),
  LOCK_NOT_HELD(409),
  NOT_LOCK_HOLDER(409),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  TIMEOUT(503),
  REDIS_UNAVAILABLE(503),
  INTERNAL_ERROR(500);

  private static final String SEPARATOR = ": ";

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /** The HTTP status the API answers this code with. */
  public int httpStatus() {
    return httpStatus;
  }

  /** "CODE: message", the text of an error reply. */
  public String format(String message) {
    return name() + SEPARATOR + message;
  }

  /** An error reply carrying this code and {@code message}. */
  public <T> StatusReply<T> reply(String message) {
    return StatusReply.error(format(message));
  }

  /** The code of a wire name, if it is one. */
  public static Optional<ErrorCode> of(String wireName) {
    if (wireName == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(wireName));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** An error reply's text read back: its code and message; text that names no code is INTERNAL, whole. */
  public static Coded parse(String text) {
    if (text != null) {
      int at = text.indexOf(SEPARATOR);
      if (at > 0) {
        Optional<ErrorCode> code = of(text.substring(0, at));
        if (code.isPresent()) {
          return new Coded(code.get(), text.substring(at + SEPARATOR.length()));
        }
      }
    }
    return new Coded(INTERNAL, text == null ? "" : text);
  }

  /** A code and its message, as an error reply carries them. */
  public record Coded(ErrorCode code, String message) {
    public String format() {
      return code.format(message);
    }
  }
}
