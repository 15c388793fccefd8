package io.gantry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process with captured stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return watched(new StringWriter(), args);
  }

  /** Runs with stdout written to {@code out} as it is printed, so that a test may read it while the CLI runs. */
  static CliRun watched(StringWriter out, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new GantryMain());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
