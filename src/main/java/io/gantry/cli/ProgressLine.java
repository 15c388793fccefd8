package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import java.util.List;

/** One execution's progress in one line: a bar of finished jobs, then running and failed counts. */
record ProgressLine(String workflowId, String status, int total, int completed, int running, int failed,
    int skipped, String elapsed) {
  private static final int BAR_WIDTH = 20;

  static ProgressLine of(ExecutionState state, long now) {
    int total = 0, completed = 0, running = 0, failed = 0, skipped = 0;
    for (ExecutionState.JobState job : state.jobs() == null ? List.<ExecutionState.JobState>of()
        : state.jobs().values()) {
      total++;
      if (job.status() == null) {
        continue; // a status this CLI does not know
      }
      switch (job.status()) {
        case COMPLETED -> completed++;
        case RUNNING -> running++;
        case FAILED, CANCELLED -> failed++;
        case SKIPPED -> skipped++;
        default -> { }
      }
    }
    return new ProgressLine(ApiCommand.text(state.workflowId()), ApiCommand.text(state.status()),
        total, completed, running, failed, skipped, Times.between(state.startedAt(), state.completedAt(), now));
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
