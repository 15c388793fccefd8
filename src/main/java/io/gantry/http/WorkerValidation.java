package io.gantry.http;

import io.gantry.dag.Capability;
import io.gantry.protocol.AttemptIds;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks what HTTP workers send and fills in the defaults; every problem is a 400 that names the field. */
final class WorkerValidation {
  static final int MAX_CONCURRENCY = 1000;
  static final int MAX_POLL = 100;
  static final long MAX_WAIT_MS = 30_000;
  static final long DEFAULT_WAIT_MS = 25_000;
  static final int MAX_LISTED_ATTEMPTS = 10_000;
  /** New output lines per progress report: a bounded tail, so a chatty worker cannot swell the journal. */
  static final int MAX_PROGRESS_LOGS_CHARS = 64 * 1024;

  private static final Pattern WORKER_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String CAPABILITIES =
      Arrays.stream(Capability.values()).map(Capability::wireName).collect(Collectors.joining(", "));
  private static final SecureRandom RANDOM = new SecureRandom();

  private WorkerValidation() {}

  /** The registration of an HTTP worker; the id is generated when absent, the pool defaults to "default". */
  static WorkerRegistration registration(WorkerRequests.Register r) {
    List<String> problems = new ArrayList<>();
    String id = r.workerId() == null ? newWorkerId() : r.workerId();
    if (!WORKER_ID.matcher(id).matches()) {
      problems.add("workerId '" + id + "' must match [A-Za-z0-9._:@-]{1,128}");
    }
    String pool = r.pool() == null ? "default" : r.pool();
    if (!NAME.matcher(pool).matches()) {
      problems.add("pool '" + pool + "' must match [A-Za-z0-9._-]{1,64}");
    }
    List<String> capabilities = r.capabilities() == null ? List.of("cpu") : distinct(r.capabilities());
    for (String c : capabilities) {
      if (c == null || Capability.fromWire(c).isEmpty()) {
        problems.add("capabilities: unknown capability '" + c + "' (known: " + CAPABILITIES + ")");
      }
    }
    int slots = r.maxConcurrency() == null ? 1 : r.maxConcurrency();
    if (slots < 1 || slots > MAX_CONCURRENCY) {
      problems.add("maxConcurrency must be between 1 and " + MAX_CONCURRENCY + ", not " + slots);
    }
    List<String> jobTypes = r.jobTypes() == null ? List.of() : distinct(r.jobTypes());
    for (String t : jobTypes) {
      if (t == null || !NAME.matcher(t).matches()) {
        problems.add("jobTypes: '" + t + "' is not a job type name ([A-Za-z0-9._-]{1,64})");
      }
    }
    WorkerRegistration.Metadata metadata = metadata(r.metadata(), problems);
    if (r.pid() != null && r.pid() < 0) {
      problems.add("pid must not be negative");
    }
    if (!problems.isEmpty()) {
      throw new ApiException(ErrorCode.INVALID_WORKER, "invalid worker registration: " + String.join("; ", problems),
          problems);
    }
    return new WorkerRegistration(id, "http", pool, r.hostname(), r.pid(), capabilities, slots, jobTypes, metadata,
        null);
  }

  static int pollMax(WorkerRequests.Poll p) {
    int max = p.max() == null ? 1 : p.max();
    if (max < 1 || max > MAX_POLL) {
      throw ApiException.of(ErrorCode.INVALID_POLL, "max must be between 1 and " + MAX_POLL + ", not " + max);
    }
    return max;
  }

  static long pollWaitMs(WorkerRequests.Poll p) {
    long wait = p.waitMs() == null ? DEFAULT_WAIT_MS : p.waitMs();
    if (wait < 0 || wait > MAX_WAIT_MS) {
      throw ApiException.of(ErrorCode.INVALID_POLL, "waitMs must be between 0 and " + MAX_WAIT_MS + ", not " + wait);
    }
    return wait;
  }

  static void progress(WorkerRequests.Progress p) {
    if (p.percent() != null && (p.percent().isNaN() || p.percent() < 0 || p.percent() > 100)) {
      throw ApiException.of(ErrorCode.INVALID_PROGRESS, "percent must be between 0 and 100, not " + p.percent());
    }
    if (p.logs() != null && p.logs().length() > MAX_PROGRESS_LOGS_CHARS) {
      throw ApiException.of(ErrorCode.INVALID_PROGRESS, "logs must be at most " + MAX_PROGRESS_LOGS_CHARS
          + " characters per progress report, not " + p.logs().length() + ": send the new lines only");
    }
  }

  static void complete(WorkerRequests.Complete c) {
    if (c.success() == null) {
      throw ApiException.of(ErrorCode.INVALID_RESULT, "success (true or false) is required");
    }
    if (c.metadata() != null && c.metadata().executionTime() != null && c.metadata().executionTime() < 0) {
      throw ApiException.of(ErrorCode.INVALID_RESULT, "metadata.executionTime must not be negative");
    }
  }

  static void heartbeat(WorkerRequests.Heartbeat h) {
    if (h.currentLoad() != null && h.currentLoad() < 0) {
      throw ApiException.of(ErrorCode.INVALID_HEARTBEAT, "currentLoad must not be negative");
    }
  }

  /** Attempt ids as a worker lists them ({@code runningAttempts}), or a 400 naming those that are no attempt ids. */
  static List<WorkerProtocol.RunningAttempt> holding(List<String> attemptIds) {
    if (attemptIds == null) {
      return null;
    }
    if (attemptIds.size() > MAX_LISTED_ATTEMPTS) {
      throw ApiException.of(ErrorCode.INVALID_WORKER, "runningAttempts lists " + attemptIds.size()
          + " attempts; at most " + MAX_LISTED_ATTEMPTS);
    }
    List<WorkerProtocol.RunningAttempt> held = new ArrayList<>(attemptIds.size());
    List<String> bad = new ArrayList<>();
    for (String id : attemptIds) {
      AttemptIds.Parsed p = AttemptIds.parse(id);
      if (p == null) {
        bad.add(String.valueOf(id));
      } else {
        held.add(new WorkerProtocol.RunningAttempt(id, p.executionId(), p.jobId()));
      }
    }
    if (!bad.isEmpty()) {
      throw new ApiException(ErrorCode.INVALID_WORKER, "runningAttempts: not attempt ids (<executionId>:<jobId>:<n>): "
          + String.join(", ", bad), bad);
    }
    return held;
  }

  private static WorkerRegistration.Metadata metadata(WorkerRequests.Metadata m, List<String> problems) {
    if (m == null) {
      return null;
    }
    if (m.cpuCores() != null && m.cpuCores() < 0) {
      problems.add("metadata.cpuCores must not be negative");
    }
    if (m.memoryGB() != null && m.memoryGB() < 0) {
      problems.add("metadata.memoryGB must not be negative");
    }
    if (m.gpuCount() != null && m.gpuCount() < 0) {
      problems.add("metadata.gpuCount must not be negative");
    }
    return new WorkerRegistration.Metadata(m.cpuCores(), m.memoryGB(), m.gpuCount(), m.version(), m.platform());
  }

  private static List<String> distinct(List<String> values) {
    return Collections.unmodifiableList(new ArrayList<>(new LinkedHashSet<>(values)));
  }

  private static String newWorkerId() {
    StringBuilder sb = new StringBuilder("http-");
    for (int i = 0; i < 12; i++) {
      sb.append(Character.forDigit(RANDOM.nextInt(36), 36));
    }
    return sb.toString();
  }
}
