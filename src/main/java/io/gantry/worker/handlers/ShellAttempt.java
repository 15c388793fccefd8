package io.gantry.worker.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.worker.JobContext;
import io.gantry.worker.JobOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One attempt of a shell job: the process, the two threads reading its output, and how it ended. */
final class ShellAttempt {

  private static final Logger log = LoggerFactory.getLogger(ShellAttempt.class);

  /** Longer lines are split, so output without newlines cannot exhaust memory. */
  private static final int MAX_LINE_CHARS = 1 << 20;
  /** How long the readers may take to drain the pipes once the process has exited. */
  private static final long DRAIN_MS = 2_000;
  private static final int MAX_ERROR_LINE_CHARS = 500;
  /** While it runs, its new output lines go out with a progress report at most this often... */
  private static final long LIVE_LOGS_EVERY_MS = 1_000;
  /** ...at most this much of them per report (older pending lines are dropped, and the report says how many). */
  private static final int LIVE_LOGS_BYTES = 4 * 1024;

  private final JobContext context;
  private final ObjectMapper mapper;
  private final LogTail tail;
  private final Duration killGrace;
  private final LiveLogs live = new LiveLogs(LIVE_LOGS_BYTES);
  private final AtomicReference<String> lastStderrLine = new AtomicReference<>();
  /** Set once the outcome is decided: lines from orphaned grandchildren still holding the pipes are ignored. */
  private volatile boolean finished;

  ShellAttempt(JobContext context, ObjectMapper mapper, LogTail tail, Duration killGrace) {
    this.context = context;
    this.mapper = mapper;
    this.tail = tail;
    this.killGrace = killGrace;
  }

  JobOutcome run(ShellCommand command, Path scratch) throws IOException, InterruptedException {
    Path input = scratch.resolve("input.json").toAbsolutePath();
    Path output = scratch.resolve("output.json").toAbsolutePath();
    mapper.writeValue(input.toFile(), inputDocument());
    Path workingDir = command.workingDir() != null ? command.workingDir() : scratch;
    if (!Files.isDirectory(workingDir)) {
      return JobOutcome.failed("workingDir " + workingDir + " is not a directory");
    }
    ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(workingDir.toFile());
    Map<String, String> env = builder.environment();
    env.putAll(command.env());
    env.put("GANTRY_INPUT", input.toString());
    env.put("GANTRY_OUTPUT", output.toString());
    env.put("GANTRY_ATTEMPT_ID", context.attemptId());
    env.put("GANTRY_JOB_ID", context.jobId());
    env.put("GANTRY_EXECUTION_ID", context.executionId());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return JobOutcome.failed("cannot start command \"" + command.program() + "\": " + startFailureReason(e));
    }
    process.getOutputStream().close();
    Thread stdout = read(process.getInputStream(), "stdout", false);
    Thread stderr = read(process.getErrorStream(), "stderr", true);
    String stopped = awaitExitOrStop(process);
    long drainUntil = System.currentTimeMillis() + DRAIN_MS;
    stdout.join(Math.max(1, drainUntil - System.currentTimeMillis()));
    stderr.join(Math.max(1, drainUntil - System.currentTimeMillis()));
    finished = true;
    String logs = tail.toString();
    if (stopped != null) {
      return JobOutcome.failed(stopped).withLogs(logs);
    }
    if (process.exitValue() != 0) {
      String lastLine = lastStderrLine.get();
      return JobOutcome.failed("exit code " + process.exitValue() + (lastLine == null ? "" : ": " + lastLine))
          .withLogs(logs);
    }
    return readOutput(output).withLogs(logs);
  }

  /** Null when the process exited by itself, else why it was stopped (its whole tree is then killed). */
  private String awaitExitOrStop(Process process) throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    process.onExit().thenRun(ended::countDown);
    context.onCancel(ended::countDown);
    long timeoutMs = context.timeoutMs();
    long deadline = System.currentTimeMillis() + timeoutMs;
    boolean interrupted = false;
    try {
      // Wakes every LIVE_LOGS_EVERY_MS to send the lines printed meanwhile.
      while (!ended.await(timeoutMs > 0 ? untilNextWake(deadline) : LIVE_LOGS_EVERY_MS, TimeUnit.MILLISECONDS)) {
        if (timeoutMs > 0 && System.currentTimeMillis() >= deadline) {
          break;
        }
        sendLiveLogs();
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (!process.isAlive()) {
      return null;
    }
    ProcessTree.kill(process.toHandle(), killGrace);
    process.waitFor();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return context.isCancelled() || interrupted ? "cancelled" : "timed out after " + timeoutMs + " ms";
  }

  private ObjectNode inputDocument() {
    ObjectNode input = mapper.createObjectNode();
    input.set("config", context.config());
    input.set("dependencyOutputs", context.dependencyOutputs());
    input.put("attempt", context.attempt());
    input.set("lastCheckpoint", context.lastCheckpoint() == null ? NullNode.getInstance() : context.lastCheckpoint());
    input.put("jobId", context.jobId());
    input.put("executionId", context.executionId());
    input.put("attemptId", context.attemptId());
    return input;
  }

  private Thread read(InputStream stream, String name, boolean isStderr) {
    Thread reader =
        new Thread(
            () -> LineReader.forEachLine(stream, MAX_LINE_CHARS, line -> onLine(line, isStderr)),
            "gantry-shell-" + context.attemptId() + "-" + name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }

  private void onLine(String line, boolean isStderr) {
    if (finished) {
      return;
    }
    tail.add(line);
    live.add(line);
    if (isStderr && !line.isBlank()) {
      lastStderrLine.set(line.length() > MAX_ERROR_LINE_CHARS ? line.substring(0, MAX_ERROR_LINE_CHARS) + "..." : line);
    }
    if (ProgressLine.isProgress(line)) {
      ProgressLine.parse(line, mapper)
          .ifPresentOrElse(this::report, () -> log.warn("Job {} ({}): ignoring a malformed progress line: {}",
              context.jobId(), context.attemptId(), line));
    }
  }

  private void report(ProgressLine progress) {
    try {
      context.progress(progress.percent(), progress.message(), progress.checkpoint());
    } catch (RuntimeException e) {
      // The reader must keep draining the pipe, or the process would block on a full buffer.
      log.warn("Job {} ({}): reporting progress failed", context.jobId(), context.attemptId(), e);
    }
  }

  private static long untilNextWake(long deadline) {
    return Math.min(LIVE_LOGS_EVERY_MS, Math.max(1, deadline - System.currentTimeMillis()));
  }

  private void sendLiveLogs() {
    String lines = live.take();
    if (lines != null) {
      try {
        context.progress(null, null, null, lines);
      } catch (RuntimeException e) {
        log.warn("Job {} ({}): sending its new output lines failed", context.jobId(), context.attemptId(), e);
      }
    }
  }

  private JobOutcome readOutput(Path output) throws IOException {
    JsonNode json = null;
    try {
      if (Files.exists(output)) {
        json = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(Files.readAllBytes(output));
      }
    } catch (JsonProcessingException e) {
      return JobOutcome.failed("the output file (GANTRY_OUTPUT) is not valid JSON: " + e.getOriginalMessage());
    }
    // Not written, or left empty: the exit code is the result.
    boolean written = json != null && !json.isMissingNode();
    return JobOutcome.succeeded(written ? json : mapper.createObjectNode().put("exitCode", 0));
  }

  /** "error=2, No such file or directory" becomes "No such file or directory". */
  private static String startFailureReason(IOException e) {
    String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
    return reason == null ? e.toString() : reason.replaceFirst("^error=\\d+, ", "");
  }
}
