package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** One execution's progress in one line: a bar of finished jobs, then running and failed counts. */
record ProgressLine(String workflowId, String status, int total, int completed, int running, int failed,
    int skipped, String elapsed) {
  private static final int BAR_WIDTH = 20;

  static ProgressLine of(JsonNode state, long now) {
    int total = 0, completed = 0, running = 0, failed = 0, skipped = 0;
    for (JsonNode job : state.path("jobs")) {
      total++;
      switch (job.path("status").asText()) {
        case "completed" -> completed++;
        case "running" -> running++;
        case "failed", "cancelled" -> failed++;
        case "skipped" -> skipped++;
        default -> { }
      }
    }
    return new ProgressLine(ApiCommand.text(state, "workflowId"), ApiCommand.text(state, "status"),
        total, completed, running, failed, skipped,
        Times.between(state.path("startedAt"), state.path("completedAt"), now));
  }

  /** Everything but the elapsed time, to tell whether anything changed. */
  String counts() {
    return status + " " + completed + "/" + total + " " + running + " " + failed + " " + skipped;
  }

  /** Status first: when a narrow terminal clips the line, the counts at its end go before it. */
  String render() {
    int finished = completed + failed + skipped;
    int filled = total == 0 ? 0 : finished * BAR_WIDTH / total;
    StringBuilder sb = new StringBuilder()
        .append(workflowId).append(' ').append(status)
        .append(" [").append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ")
        .append(completed).append('/').append(total).append(" done, ")
        .append(running).append(" running, ").append(failed).append(" failed");
    if (skipped > 0) {
      sb.append(", ").append(skipped).append(" skipped");
    }
    if (!elapsed.isEmpty()) {
      sb.append("  ").append(elapsed);
    }
    return sb.toString();
  }
}
