package io.gantry.execution;

import io.gantry.dag.JobDefinition;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.JobPage;
import io.gantry.protocol.JobResult;
import io.gantry.protocol.JobStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the API's views of an execution from its state. */
final class ExecutionViews {
  private ExecutionViews() {}

  static ExecutionState state(RunState s) {
    int n = s.jobs.length;
    List<String> current = new ArrayList<>();
    List<String> completed = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    Map<String, ExecutionState.JobState> jobs = new LinkedHashMap<>(n * 2);
    Map<String, JobResult> results = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      JobRun j = s.jobs[i];
      String id = s.dag.job(i).id();
      switch (j.status) {
        case RUNNING -> current.add(id);
        case COMPLETED -> completed.add(id);
        case FAILED -> failed.add(id);
        default -> { }
      }
      jobs.put(id, new ExecutionState.JobState(j.status, j.attempts, j.workerId, j.startedAt, j.completedAt,
          j.nextAttemptAt, j.error, j.progress, s.dag.job(i).dependsOn()));
      if (j.status == JobStatus.COMPLETED || j.status == JobStatus.FAILED) {
        results.put(id, result(s, i));
      }
    }
    return new ExecutionState(s.executionId, s.dag.workflowId(), s.status, s.createdAt, s.startedAt, s.completedAt,
        current, completed, failed, jobs, results, s.checkpointId, s.dag.document().metadata());
  }

  static JobResult result(RunState s, int i) {
    JobRun j = s.jobs[i];
    boolean success = j.status == JobStatus.COMPLETED;
    return new JobResult(s.dag.job(i).id(), success, j.output, j.error, j.logs, j.startedAt, j.completedAt,
        j.workerId, j.executionTimeMs, j.attempts);
  }

  static JobDetail job(RunState s, int i) {
    JobRun j = s.jobs[i];
    JobDefinition d = s.dag.job(i);
    return new JobDetail(s.executionId, d.id(), d.type(), j.status, d.priority(), d.dependsOn(), j.attempts,
        d.maxRetries(), j.currentAttemptId, j.workerId, j.queuedAt, j.startedAt, j.completedAt, j.nextAttemptAt,
        j.progress, j.error, j.logs, j.output, j.lastCheckpoint, List.copyOf(j.history), blockedBy(s, i), d.pool());
  }

  /** Jobs from position {@code from} with {@code status} (any when null), up to {@code limit}, and every count. */
  static JobPage jobs(RunState s, JobStatus status, int from, int limit) {
    List<JobDetail> items = new ArrayList<>(Math.min(Math.max(limit, 0), s.jobs.length));
    int next = -1;
    for (int i = Math.max(0, from); i < s.jobs.length; i++) {
      if (status != null && s.jobs[i].status != status) {
        continue;
      }
      if (items.size() == limit) {
        next = i;
        break;
      }
      items.add(job(s, i));
    }
    Map<JobStatus, Integer> counts = new EnumMap<>(JobStatus.class);
    for (JobStatus st : JobStatus.values()) {
      if (s.count(st) > 0) {
        counts.put(st, s.count(st));
      }
    }
    return new JobPage(s.executionId, s.createdAt, items, next, counts);
  }

  /** Why a job that is not running waits, as far as the execution knows; null when it does not wait. */
  private static String blockedBy(RunState s, int i) {
    JobRun j = s.jobs[i];
    if (j.status.settled() || j.status == JobStatus.RUNNING) {
      return null;
    }
    if (s.status == ExecutionStatus.PAUSED) {
      return "execution-paused";
    }
    return switch (j.status) {
      case WAITING -> "dependencies";
      case RETRYING -> "backoff";
      case QUEUED -> "capacity-full";
      default -> null;
    };
  }
}
