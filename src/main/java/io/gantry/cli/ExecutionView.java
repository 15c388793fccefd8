package io.gantry.cli;

import static io.gantry.cli.ApiCommand.text;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.JobResult;
import java.util.Map;

/** Renders an ExecutionState (API.md §3) as a summary line and a table of its jobs. */
final class ExecutionView {
  private ExecutionView() {}

  static String render(ExecutionState state, long now) {
    StringBuilder sb = new StringBuilder();
    sb.append("execution ").append(text(state.executionId()))
        .append("  workflow ").append(text(state.workflowId()))
        .append("  status ").append(text(state.status()));
    String started = Times.at(state.startedAt());
    if (!started.isEmpty()) {
      sb.append("  started ").append(started)
          .append("  took ").append(Times.between(state.startedAt(), state.completedAt(), now));
    }
    sb.append(System.lineSeparator());
    Table jobs = new Table("JOB", "STATUS", "ATTEMPTS", "WORKER", "DURATION", "RESULT");
    Map<String, JobResult> results = state.jobResults() == null ? Map.of() : state.jobResults();
    if (state.jobs() != null) {
      state.jobs().forEach((jobId, job) -> jobs.row(jobId, text(job.status()), job.attempts(), text(job.workerId()),
          Times.between(job.startedAt(), job.completedAt(), now), outcome(job, results.get(jobId))));
    }
    if (!jobs.isEmpty()) {
      sb.append(jobs.render());
    }
    return sb.toString();
  }

  private static String outcome(ExecutionState.JobState job, JobResult result) {
    String error = text(job.error());
    if (error.isEmpty() && result != null) {
      error = text(result.error());
    }
    if (!error.isEmpty()) {
      return "error: " + error;
    }
    return result == null || result.output() == null || result.output().isNull() ? "" : result.output().toString();
  }
}
