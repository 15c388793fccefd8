package io.gantry.cli;

/** Ends a CLI command with a message on stderr and an exit code (1: the operation failed, 2: bad usage or input). */
final class CliFailure extends RuntimeException {
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  private final int exitCode;
  /** The HTTP status that caused it, 0 when there was no answer (or no request). */
  private final int httpStatus;

  CliFailure(int exitCode, String message) {
    this(exitCode, message, 0);
  }

  CliFailure(int exitCode, String message, int httpStatus) {
    super(message);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  static CliFailure failed(String message) {
    return new CliFailure(FAILED, message);
  }

  static CliFailure badInput(String message) {
    return new CliFailure(BAD_INPUT, message);
  }

  int exitCode() {
    return exitCode;
  }

  /** No answer at all, or the server's trouble (5xx): worth trying again. */
  boolean isTransient() {
    return httpStatus == 0 || httpStatus >= 500;
  }
}
