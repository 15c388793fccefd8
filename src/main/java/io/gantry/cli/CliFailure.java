package io.gantry.cli;

/** Ends a CLI command with a message on stderr and an exit code (1: the operation failed, 2: bad usage or input). */
final class CliFailure extends RuntimeException {
  static final int FAILED = 1;
  static final int BAD_INPUT = 2;

  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
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
}
