package io.gantry.cli;

import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of the commands that talk to the HTTP API: shared options, output streams and failure handling. */
abstract class ApiCommand implements Callable<Integer> {

  @Mixin
  ClientOptions options;

  @Spec
  CommandSpec spec;

  /** Does the work and returns the exit code; throws {@link CliFailure} to fail with a message. */
  abstract int run(ApiClient client);

  @Override
  public final Integer call() {
    try {
      return run(new ApiClient(options));
    } catch (CliFailure f) {
      err().println("gantry " + spec.name() + ": " + f.getMessage());
      err().flush();
      return f.exitCode();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  boolean json() {
    return options.json;
  }

  /** With --json, prints the raw answer and returns true. */
  boolean printedRaw(ApiClient.Answer answer) {
    if (options.json) {
      out().println(answer.body());
      out().flush();
    }
    return options.json;
  }

  /** The execution's event stream, opened; a break and reopening is told on stderr. */
  EventStream events(ApiClient client, String executionId) {
    return new EventStream(client, executionId, this::notice).open();
  }

  /** A line on stderr, at once. */
  void notice(String line) {
    err().println(line);
    err().flush();
  }

  void print(String text) {
    out().print(text);
    out().flush();
  }

  static String executionNotFound(String id) {
    return "execution " + id + " not found";
  }

  /** A value as shown in a table: blank when absent, statuses by their API names. */
  static String text(Object value) {
    if (value instanceof ExecutionStatus s) {
      return s.wireName();
    }
    if (value instanceof JobStatus s) {
      return s.wireName();
    }
    return value == null ? "" : value.toString();
  }
}
