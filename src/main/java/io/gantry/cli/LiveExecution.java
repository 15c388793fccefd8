package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.PublicEvent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An execution's job statuses as its event stream tells them: the job ids come from its status (every job starts
 * as waiting), the events (replayed from the start, then live) move each job on.
 */
final class LiveExecution {
  private final String workflowId;
  private final Map<String, JobStatus> jobs = new LinkedHashMap<>();
  private String status;
  private Long startedAt;
  private Long completedAt;

  LiveExecution(ExecutionState initial) {
    this.workflowId = ApiCommand.text(initial.workflowId());
    this.status = "pending";
    this.startedAt = initial.startedAt();
    if (initial.jobs() != null) {
      initial.jobs().keySet().forEach(id -> jobs.put(id, JobStatus.WAITING));
    }
  }

  void apply(PublicEvent event) {
    String jobId = event.data().path("jobId").asText(null);
    long time = event.data().path("time").asLong(0);
    switch (event.type()) {
      case "job-queued" -> job(jobId, JobStatus.QUEUED);
      case "job-started", "job-progress" -> {
        job(jobId, JobStatus.RUNNING);
        status = "paused".equals(status) ? status : "running";
        startedAt = startedAt == null && time > 0 ? Long.valueOf(time) : startedAt;
      }
      case "job-retrying" -> job(jobId, JobStatus.RETRYING);
      case "job-completed" -> job(jobId, JobStatus.COMPLETED);
      case "job-failed" -> job(jobId, JobStatus.FAILED);
      case "job-skipped" -> job(jobId, JobStatus.SKIPPED);
      case "job-cancelled" -> job(jobId, JobStatus.CANCELLED);
      case "execution-paused" -> status = "paused";
      case "execution-resumed", "execution-retried" -> {
        status = "running";
        completedAt = null;
      }
      case "execution-cancelled" -> {
        event.data().path("jobIds").forEach(id -> job(id.asText(), JobStatus.CANCELLED));
        finish("cancelled", time);
      }
      case "execution-completed" -> finish("completed", time);
      case "execution-failed" -> finish("failed", time);
      default -> { } // an event this CLI does not know changes no count
    }
  }

  String workflowId() {
    return workflowId;
  }

  String status() {
    return status;
  }

  Long startedAt() {
    return startedAt;
  }

  Long completedAt() {
    return completedAt;
  }

  Collection<JobStatus> jobStatuses() {
    return jobs.values();
  }

  private void finish(String finalStatus, long time) {
    status = finalStatus;
    completedAt = time > 0 ? time : null;
  }

  private void job(String jobId, JobStatus next) {
    if (jobId != null) {
      jobs.put(jobId, next);
    }
  }
}
