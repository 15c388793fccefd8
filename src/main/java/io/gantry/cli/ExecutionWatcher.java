package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.PublicEvent;
import java.io.PrintWriter;

/**
 * Follows an execution through its event stream until its final event, showing its progress on stderr: a line
 * redrawn in place on a terminal (at most every {@link #REDRAW_MS}, and each second for the clock), or a plain line
 * when the counts changed (at most each second) and every {@link #PLAIN_EVERY_MS} otherwise. The status is read
 * twice: first for the job ids, last for the outcome.
 */
final class ExecutionWatcher {
  private static final long REDRAW_MS = 100;
  private static final long PLAIN_MIN_MS = 1_000;
  private static final long PLAIN_EVERY_MS = 10_000;

  private final ApiClient client;
  private final PrintWriter err;
  private final boolean tty;
  private String lastCounts;
  private long lastPrinted;

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
    ExecutionState initial = client.get(path, ApiCommand.executionNotFound(executionId)).as(ExecutionState.class);
    LiveExecution live = new LiveExecution(initial);
    // The stream first replays what happened so far: a plain line waits for it (a second), not to show a stale one.
    lastPrinted = tty ? 0 : System.currentTimeMillis();
    Thread newlineOnInterrupt = new Thread(() -> {
      err.println();
      err.println("stopped watching; the execution goes on: gantry status " + executionId);
      err.flush();
    });
    Runtime.getRuntime().addShutdownHook(newlineOnInterrupt);
    try (EventStream events = new EventStream(client, executionId, this::notice).open()) {
      while (!events.ended()) {
        PublicEvent event = events.next(tty ? REDRAW_MS : PLAIN_MIN_MS);
        if (event != null) {
          live.apply(event);
        }
        show(live, event != null && event.isFinal());
      }
    } finally {
      removeHook(newlineOnInterrupt);
    }
    return client.get(path, ApiCommand.executionNotFound(executionId));
  }

  private void show(LiveExecution live, boolean finished) {
    long now = System.currentTimeMillis();
    ProgressLine line = ProgressLine.of(live, now);
    boolean changed = !line.counts().equals(lastCounts);
    if (tty) {
      if (finished || (changed && now - lastPrinted >= REDRAW_MS) || now - lastPrinted >= 1_000) {
        err.print("\r" + Terminal.fit(line.render()) + "\u001b[K" + (finished ? System.lineSeparator() : ""));
        err.flush();
        lastCounts = line.counts();
        lastPrinted = now;
      }
    } else if (finished || (changed && now - lastPrinted >= PLAIN_MIN_MS) || now - lastPrinted >= PLAIN_EVERY_MS) {
      err.println(line.render());
      err.flush();
      lastCounts = line.counts();
      lastPrinted = now;
    }
  }

  /** On its own line: a redrawn progress line is ended first. */
  private void notice(String line) {
    synchronized (err) {
      err.println(tty ? System.lineSeparator() + line : line);
      err.flush();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running already
    }
  }
}
