package io.gantry.worker.handlers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.worker.JobContext;
import io.gantry.worker.JobHandler;
import io.gantry.worker.JobOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@code shell} job (API.md §2): the {@code command} argv as a process, with its inputs in the
 * file named by {@code GANTRY_INPUT} and its output read back from {@code GANTRY_OUTPUT}. Each attempt
 * gets a scratch directory under {@code workDirRoot} (also its working directory unless the job names
 * one), deleted when the attempt ends.
 */
final class ShellHandler implements JobHandler {

  private static final Logger log = LoggerFactory.getLogger(ShellHandler.class);

  /** How long a cancelled process tree may take to exit on SIGTERM before it is killed. */
  static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(2);

  private final Path workDirRoot;
  private final int logTailBytes;
  private final ObjectMapper mapper;
  private final Duration killGrace;
  /** Null: any program. */
  private final ShellPrograms allowed;

  ShellHandler(Path workDirRoot, int logTailBytes, ObjectMapper mapper) {
    this(workDirRoot, logTailBytes, mapper, DEFAULT_KILL_GRACE, null);
  }

  ShellHandler(Path workDirRoot, int logTailBytes, ObjectMapper mapper, Set<String> allowedPrograms) {
    this(workDirRoot, logTailBytes, mapper, DEFAULT_KILL_GRACE, allowedPrograms);
  }

  ShellHandler(Path workDirRoot, int logTailBytes, ObjectMapper mapper, Duration killGrace) {
    this(workDirRoot, logTailBytes, mapper, killGrace, null);
  }

  ShellHandler(Path workDirRoot, int logTailBytes, ObjectMapper mapper, Duration killGrace,
      Set<String> allowedPrograms) {
    this.workDirRoot = workDirRoot;
    this.logTailBytes = logTailBytes;
    this.mapper = mapper;
    this.killGrace = killGrace;
    this.allowed = allowedPrograms == null ? null : new ShellPrograms(allowedPrograms);
  }

  @Override
  public JobOutcome run(JobContext context) throws IOException, InterruptedException {
    if (context.isCancelled()) {
      return JobOutcome.failed("cancelled");
    }
    ShellCommand command = ShellCommand.from(context.config());
    if (allowed != null) {
      // The registry matches the same rule before it hands the job here; a registry that does not know it
      // (an older node) may still send one, and the worker's own list is what counts.
      ShellPrograms.Verdict verdict = allowed.check(command.program());
      if (verdict.refusal() != null) {
        log.warn("Job {} ({}): refused shell command: {}", context.jobId(), context.attemptId(), verdict.refusal());
        return JobOutcome.failed(verdict.refusal());
      }
      command = command.withProgram(verdict.executable());
    }
    Files.createDirectories(workDirRoot);
    Path scratch = Files.createTempDirectory(workDirRoot, "attempt-");
    try {
      return new ShellAttempt(context, mapper, new LogTail(logTailBytes), killGrace).run(command, scratch);
    } finally {
      deleteRecursively(scratch);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      log.warn("Could not delete the scratch directory {}: {}", directory, e.getMessage());
    }
  }
}
