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

  ShellHandler(Path workDirRoot, int logTailBytes, ObjectMapper mapper) {
    this(workDirRoot, logTailBytes, mapper, DEFAULT_KILL_GRACE);
  }

  ShellHandler(Path workDirRoot, int logTailBytes, ObjectMapper mapper, Duration killGrace) {
    this.workDirRoot = workDirRoot;
    this.logTailBytes = logTailBytes;
    this.mapper = mapper;
    this.killGrace = killGrace;
  }

  @Override
  public JobOutcome run(JobContext context) throws IOException, InterruptedException {
    if (context.isCancelled()) {
      return JobOutcome.failed("cancelled");
    }
    ShellCommand command = ShellCommand.from(context.config());
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
