package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.JobStatus;
import java.util.Collection;
import java.util.List;

/** One execution's progress in one line: a bar of finished jobs, then running and failed counts. */
record ProgressLine(String workflowId, String status, int total, int completed, int running, int failed,
    int skipped, String elapsed) {
  private static final int BAR_WIDTH = 20;

  static ProgressLine of(ExecutionState state, long now) {
    List<JobStatus> statuses = state.jobs() == null ? List.of()
        : state.jobs().values().stream().map(ExecutionState.JobState::status).toList();
    return of(ApiCommand.text(state.workflowId()), ApiCommand.text(state.status()), statuses,
        Times.between(state.startedAt(), state.completedAt(), now));
  }

  static ProgressLine of(LiveExecution live, long now) {
    return of(live.workflowId(), live.status(), live.jobStatuses(),
        Times.between(live.startedAt(), live.completedAt(), now));
  }

  private static ProgressLine of(String workflowId, String status, Collection<JobStatus> jobs, String elapsed) {
    int total = 0, completed = 0, running = 0, failed = 0, skipped = 0;
    for (JobStatus job : jobs) {
      total++;
      if (job == null) {
        continue; // a status this CLI does not know
      }
      switch (job) {
        case COMPLETED -> completed++;
        case RUNNING -> running++;
        case FAILED, CANCELLED -> failed++;
        case SKIPPED -> skipped++;
        default -> { }
      }
    }
    return new ProgressLine(workflowId, status, total, completed, running, failed, skipped, elapsed);
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
