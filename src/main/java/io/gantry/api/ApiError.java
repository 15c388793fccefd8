package io.gantry.api;

import java.util.List;

/** The JSON body of every 4xx/5xx answer (API.md §3): {@code {"error": {"code", "message", "details"}}}. */
public record ApiError(Body error) {

  /**
   * {@code details}: a list (or object) that helps the caller act, e.g. the offending jobs or the holder; read back
   * it is a {@code List} or {@code Map} of plain JSON values.
   */
  public record Body(String code, String message, Object details) {
  }

  public static ApiError of(String code, String message, Object details) {
    return new ApiError(new Body(code, message, details == null ? List.of() : details));
  }
}
