package io.gantry.http;

import io.gantry.api.ApiError;
import io.gantry.protocol.ErrorCode;

/**
 * A failure with its HTTP answer. Route helpers throw it, or fail their stage with it; {@link ErrorHandling}
 * turns it into the API's JSON error.
 */
final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final transient Object details;

  /** An error of one of Gantry's codes, answered with the code's status. */
  ApiException(ErrorCode code, String message, Object details) {
    this(code.httpStatus(), code.name(), message, details);
  }

  /** An error whose status and code come from elsewhere (Pekko's own rejections). */
  ApiException(int status, String code, String message, Object details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  static ApiException of(ErrorCode code, String message) {
    return new ApiException(code, message, null);
  }

  int status() {
    return status;
  }

  ApiError toError() {
    return ApiError.of(code, getMessage(), details);
  }
}
