package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Renders an ExecutionState (API.md §3) as a summary line and a table of its jobs. */
final class ExecutionView {
  private ExecutionView() {}

  static String render(JsonNode state, long now) {
    StringBuilder sb = new StringBuilder();
    sb.append("execution ").append(ApiCommand.text(state, "executionId"))
        .append("  workflow ").append(ApiCommand.text(state, "workflowId"))
        .append("  status ").append(ApiCommand.text(state, "status"));
    String started = Times.at(state.path("startedAt"));
    if (!started.isEmpty()) {
      sb.append("  started ").append(started)
          .append("  took ").append(Times.between(state.path("startedAt"), state.path("completedAt"), now));
    }
    sb.append(System.lineSeparator());
    Table jobs = new Table("JOB", "STATUS", "ATTEMPTS", "WORKER", "DURATION", "RESULT");
    JsonNode results = state.path("jobResults");
    for (Iterator<Map.Entry<String, JsonNode>> it = state.path("jobs").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode job = e.getValue();
      JsonNode result = results.path(e.getKey());
      jobs.row(e.getKey(), ApiCommand.text(job, "status"), ApiCommand.text(job, "attempts"),
          ApiCommand.text(job, "workerId"), Times.between(job.path("startedAt"), job.path("completedAt"), now),
          outcome(job, result));
    }
    if (!jobs.isEmpty()) {
      sb.append(jobs.render());
    }
    return sb.toString();
  }

  private static String outcome(JsonNode job, JsonNode result) {
    String error = ApiCommand.text(job, "error");
    if (error.isEmpty()) {
      error = ApiCommand.text(result, "error");
    }
    if (!error.isEmpty()) {
      return "error: " + error;
    }
    JsonNode output = result.path("output");
    return output.isMissingNode() || output.isNull() ? "" : output.toString();
  }
}
