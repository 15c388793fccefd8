package io.gantry.http;

import io.gantry.api.ApiError;

/**
 * A failure with its HTTP answer. Route helpers throw it, or fail their stage with it; {@link ErrorHandling}
 * turns it into the API's JSON error.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final transient Object details;

  public ApiException(int status, String code, String message, Object details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  public static ApiException badRequest(String code, String message) {
    return new ApiException(400, code, message, null);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message, null);
  }

  public static ApiException conflict(String code, String message, Object details) {
    return new ApiException(409, code, message, details);
  }

  public int status() {
    return status;
  }

  public ApiError toError() {
    return ApiError.of(code, getMessage(), details);
  }
}
