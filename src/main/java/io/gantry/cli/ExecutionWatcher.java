package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import java.io.PrintWriter;

/**
 * Polls an execution's status until it has finished, showing its progress on stderr: a line redrawn in
 * place on a terminal, or a plain line whenever something changed (and every few seconds) otherwise.
 */
final class ExecutionWatcher {
  private static final long POLL_MS = 300;
  private static final long PLAIN_EVERY_MS = 10_000;

  private final ApiClient client;
  private final PrintWriter err;
  private final boolean tty;

  ExecutionWatcher(ApiClient client, PrintWriter err, boolean tty) {
    this.client = client;
    this.err = err;
    this.tty = tty;
  }

  /** True when the bin/gantry launcher saw a terminal on stderr (Java cannot tell by itself). */
  static boolean stderrIsTerminal() {
    String flag = System.getProperty("gantry.tty");
    return flag != null ? Boolean.parseBoolean(flag) : System.console() != null;
  }

  /** Returns the final status answer. */
  ApiClient.Answer await(String executionId) {
    String path = "execute/" + ApiClient.segment(executionId) + "/status";
    String lastCounts = null;
    long lastPrinted = 0;
    Thread newlineOnInterrupt = new Thread(() -> {
      err.println();
      err.println("stopped watching; the execution goes on: gantry status " + executionId);
      err.flush();
    });
    Runtime.getRuntime().addShutdownHook(newlineOnInterrupt);
    try {
      while (true) {
        ApiClient.Answer answer = client.get(path, ApiCommand.executionNotFound(executionId));
        ExecutionState state = answer.as(ExecutionState.class);
        long now = System.currentTimeMillis();
        ProgressLine line = ProgressLine.of(state, now);
        boolean finished = state.status() != null && state.status().finished();
        if (tty) {
          err.print("\r" + fitted(line.render()) + "\u001b[K" + (finished ? System.lineSeparator() : ""));
          err.flush();
        } else if (finished || !line.counts().equals(lastCounts) || now - lastPrinted >= PLAIN_EVERY_MS) {
          err.println(line.render());
          err.flush();
          lastCounts = line.counts();
          lastPrinted = now;
        }
        if (finished) {
          return answer;
        }
        sleep();
      }
    } finally {
      removeHook(newlineOnInterrupt);
    }
  }

  /** A redrawn line must not wrap, or the carriage return would redraw only its last part. */
  private static String fitted(String line) {
    int columns = Integer.getInteger("gantry.columns", 0);
    return columns > 1 && line.length() >= columns ? line.substring(0, columns - 1) : line;
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.failed("interrupted");
    }
  }
}
