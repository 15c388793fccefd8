package io.gantry.cli;

import static io.gantry.cli.ApiCommand.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.AttemptRecord;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.WorkerInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A job's detail (GET /execute/{id}/jobs/{jobId}) in words: for a job that waits, why (its {@code blockedBy}, with
 * the dependencies or workers concerned); for one that runs or has finished, where and how. The execution's state
 * and the worker list are read only when the reason needs them.
 */
final class JobExplanation {
  private static final String NL = System.lineSeparator();

  private final JobDetail job;
  private final JsonNode raw;
  private final Supplier<ExecutionState> execution;
  private final Supplier<List<WorkerInfo>> workers;
  private final long now;

  JobExplanation(JobDetail job, JsonNode raw, Supplier<ExecutionState> execution, Supplier<List<WorkerInfo>> workers,
      long now) {
    this.job = job;
    this.raw = raw;
    this.execution = execution;
    this.workers = workers;
    this.now = now;
  }

  String render() {
    StringBuilder sb = new StringBuilder()
        .append("job ").append(job.jobId()).append(" (").append(text(job.type())).append(") of execution ")
        .append(job.executionId()).append(": ").append(statusText(job.status())).append(NL);
    reasons().forEach(line -> sb.append("  ").append(line).append(NL));
    List<AttemptRecord> attempts = job.attemptHistory() == null ? List.of() : job.attemptHistory();
    if (!attempts.isEmpty()) {
      Table table = new Table("ATTEMPT", "WORKER", "STARTED", "DURATION", "OUTCOME", "ERROR");
      attempts.forEach(a -> table.row(a.number(), text(a.workerId()), Times.at(a.startedAt()),
          Times.between(a.startedAt(), a.endedAt(), now), text(a.outcome()), text(a.error())));
      sb.append(NL).append(table.render());
    }
    return sb.toString();
  }

  List<String> reasons() {
    List<String> lines = new ArrayList<>();
    String blockedBy = job.blockedBy();
    if (blockedBy != null) {
      waits(blockedBy, lines);
      if (job.queuedAt() != null && job.status() == JobStatus.QUEUED) {
        lines.add("queued " + Times.ago(job.queuedAt(), now) + " (at " + Times.at(job.queuedAt()) + ")");
      }
      return lines;
    }
    JobStatus status = job.status();
    if (status == null) {
      lines.add("status unknown to this CLI: " + raw.path("status").asText("?"));
      return lines;
    }
    switch (status) {
      case RUNNING -> running(lines);
      case COMPLETED -> lines.add("completed" + onWorker() + " at " + Times.at(job.completedAt()) + " after "
          + attemptCount() + ", took " + Times.between(job.startedAt(), job.completedAt(), now));
      case FAILED -> lines.add("failed for good after " + attemptCount() + (job.error() == null ? ""
          : ": " + job.error()) + "; the jobs that depend on it are skipped (gantry retry " + job.executionId() + ")");
      case CANCELLED -> lines.add("cancelled" + (job.completedAt() == null ? "" : " at " + Times.at(job.completedAt())));
      case SKIPPED -> skipped(lines);
      default -> lines.add(statusText(status) + " (no reason given: it is about to move on)");
    }
    return lines;
  }

  private void waits(String blockedBy, List<String> lines) {
    switch (blockedBy) {
      case "dependencies" -> dependencies(lines);
      case "execution-paused" -> lines.add("waits because execution " + job.executionId() + " is paused; "
          + "resume it: gantry resume " + job.executionId());
      case "queue-paused" -> lines.add("waits because the queue is paused cluster-wide; dispatch again: "
          + "gantry queue resume");
      case "no-capable-worker" -> noCapableWorker(lines);
      case "shell-not-allowed" -> lines.add("waits because no worker in its pool lets shell jobs start its program "
          + "(shell off, or not in gantry.worker.shell.allowed-commands; gantry workers shows metadata.shellCommands)");
      case "capacity-full" -> capacityFull(lines);
      case "concurrency-key" -> lines.add("waits because another job with the same concurrencyKey"
          + (raw.path("concurrencyKey").isTextual() ? " (" + raw.path("concurrencyKey").asText() + ")" : "")
          + " is running somewhere in the cluster");
      case "rate-limit" -> lines.add("waits because the queue's rate limit (gantry.queue.rate-limit) holds "
          + "dispatch back; it goes out when the limit allows");
      case "backoff" -> backoff(lines);
      default -> lines.add("waits: " + blockedBy);
    }
  }

  private void dependencies(List<String> lines) {
    List<String> deps = job.dependsOn() == null ? List.of() : job.dependsOn();
    Map<String, ExecutionState.JobState> states = jobStates();
    List<String> unfinished = new ArrayList<>();
    for (String dep : deps) {
      ExecutionState.JobState state = states.get(dep);
      if (state == null || state.status() != JobStatus.COMPLETED) {
        unfinished.add(dep + " (" + (state == null ? "unknown" : statusText(state.status())) + ")");
      }
    }
    if (unfinished.isEmpty()) {
      lines.add("waits for its dependencies (" + String.join(", ", deps) + "): all have just completed, "
          + "it is about to be queued");
      return;
    }
    lines.add("waits for " + unfinished.size() + " of its " + deps.size() + " dependencies to complete: "
        + String.join(", ", unfinished));
    lines.add("see why they wait: gantry why " + job.executionId() + " "
        + unfinished.get(0).substring(0, unfinished.get(0).indexOf(' ')));
  }

  private void backoff(List<String> lines) {
    StringBuilder line = new StringBuilder("waits to be retried");
    if (job.error() != null) {
      line.append(" after attempt ").append(job.attempts()).append(" failed: ").append(job.error());
    }
    lines.add(line.toString());
    if (job.nextAttemptAt() != null) {
      long in = job.nextAttemptAt() - now;
      lines.add("next attempt (" + (job.attempts() + 1) + " of " + (job.maxRetries() + 1) + ") at "
          + Times.at(job.nextAttemptAt()) + (in > 0 ? " (in " + Times.duration(in) + ")" : " (due now)"));
    }
  }

  private void noCapableWorker(List<String> lines) {
    String pool = job.pool() == null ? "default" : job.pool();
    List<String> needs = needs();
    lines.add("waits because no live worker of pool " + pool + " can run it: none takes jobs of type "
        + text(job.type()) + " with " + (needs.isEmpty() ? "the capabilities and requirements the job asks for"
        : String.join(" and ", needs)));
    List<WorkerInfo> inPool = workersOf(pool);
    if (inPool.isEmpty()) {
      lines.add("no worker is registered in pool " + pool + "; start one (bin/gantry node --roles worker "
          + "--pool " + pool + ") or register an HTTP worker");
      return;
    }
    for (WorkerInfo w : inPool) {
      List<String> lacks = WorkerFit.lacks(w, job.type(), raw.path("requiredCapabilities"), raw.path("requirements"));
      lines.add("worker " + w.workerId() + " (" + text(w.status()) + ") "
          + (lacks.isEmpty() ? describe(w) : "lacks " + String.join(", ", lacks)));
    }
  }

  /** What a worker offers, to compare with what the job asks for. */
  private static String describe(WorkerInfo w) {
    List<String> caps = orEmpty(w.capabilities());
    List<String> types = orEmpty(w.jobTypes());
    return "has capabilities " + (caps.isEmpty() ? "none" : String.join(",", caps))
        + (types.isEmpty() ? "" : ", takes types " + String.join(",", types));
  }

  private void capacityFull(List<String> lines) {
    String pool = job.pool() == null ? "default" : job.pool();
    lines.add("waits for a free slot: the workers of pool " + pool + " that can run it are all busy");
    List<WorkerInfo> able = workersOf(pool).stream()
        .filter(w -> WorkerFit.lacks(w, job.type(), raw.path("requiredCapabilities"), raw.path("requirements"))
            .isEmpty())
        .toList();
    if (!able.isEmpty()) {
      List<String> loads = able.stream().map(w -> w.workerId() + " " + w.currentLoad() + "/" + w.maxConcurrency())
          .toList();
      lines.add("load: " + String.join(", ", loads));
    }
  }

  private void running(List<String> lines) {
    lines.add("running" + onWorker() + " since " + Times.at(job.startedAt()) + " (for "
        + Times.between(job.startedAt(), null, now) + "), attempt " + job.attempts() + " of " + (job.maxRetries() + 1)
        + (job.progress() == null ? "" : String.format(", %.0f%% done", job.progress())));
    if (job.lastCheckpoint() != null && !job.lastCheckpoint().isNull()) {
      lines.add("last checkpoint: " + job.lastCheckpoint());
    }
  }

  private void skipped(List<String> lines) {
    Map<String, ExecutionState.JobState> states = jobStates();
    List<String> culprits = new ArrayList<>();
    for (String dep : job.dependsOn() == null ? List.<String>of() : job.dependsOn()) {
      ExecutionState.JobState state = states.get(dep);
      if (state != null && state.status() != null && state.status() != JobStatus.COMPLETED) {
        culprits.add(dep + " (" + statusText(state.status()) + ")");
      }
    }
    lines.add("skipped: it will not run because " + (culprits.isEmpty() ? "a job it depends on failed"
        : "of " + String.join(", ", culprits)) + "; gantry retry " + job.executionId() + " runs it again");
  }

  /** What the job asks of a worker, when the detail says (a server that gives requiredCapabilities/requirements). */
  private List<String> needs() {
    List<String> needs = new ArrayList<>();
    JsonNode caps = raw.path("requiredCapabilities");
    if (caps.isArray() && !caps.isEmpty()) {
      List<String> names = new ArrayList<>();
      caps.forEach(c -> names.add(c.asText()));
      needs.add("capabilities " + String.join(",", names));
    }
    JsonNode req = raw.path("requirements");
    if (req.isObject() && !req.isEmpty()) {
      needs.add("requirements " + req);
    }
    return needs;
  }

  private List<WorkerInfo> workersOf(String pool) {
    return workers.get().stream().filter(w -> Objects.equals(w.pool() == null ? "default" : w.pool(), pool)).toList();
  }

  private Map<String, ExecutionState.JobState> jobStates() {
    ExecutionState state = execution.get();
    return state.jobs() == null ? Map.of() : state.jobs();
  }

  private String onWorker() {
    return job.workerId() == null ? "" : " on worker " + job.workerId();
  }

  private String attemptCount() {
    return job.attempts() + (job.attempts() == 1 ? " attempt" : " attempts");
  }

  private static String statusText(JobStatus status) {
    return status == null ? "(unknown status)" : status.wireName();
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }
}
