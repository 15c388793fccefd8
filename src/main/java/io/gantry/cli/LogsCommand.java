package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.protocol.AttemptIds;
import io.gantry.protocol.AttemptRecord;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.PublicEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gantry logs ID JOB [--follow]}: the logs tail of a job's attempts on stdout, what happened to each attempt
 * on stderr (so that stdout holds only the job's own lines). A worker sends a running attempt's new lines with its
 * progress (the job-progress events' {@code logs}, about once a second) and its logs tail when it ends (the job
 * detail's logs, the job-completed/-failed/-retrying events' {@code logs}), so {@code --follow} prints each line
 * once as it arrives, then what of the final tail it has not printed yet.
 */
@Command(name = "logs", description = {"Print the logs tail of a job's last finished attempt.",
    "--follow: the logs of every attempt so far, then each line as it is printed (progress messages on stderr), "
        + "until the job has completed, failed for good, or been skipped or cancelled.",
    "Workers that send their lines only when an attempt ends (HTTP workers may) are followed as each attempt ends."})
final class LogsCommand extends ApiCommand {
  private static final long WAKE_MS = 1_000;

  @Parameters(index = "0", paramLabel = "ID", description = "execution id")
  String executionId;

  @Parameters(index = "1", paramLabel = "JOB", description = "job id")
  String jobId;

  @Option(names = {"-f", "--follow"}, description = "keep printing as the job runs, until it has finished")
  boolean follow;

  private final Map<String, AttemptLines> printed = new HashMap<>();

  @Override
  int run(ApiClient client) {
    ApiClient.Answer answer = WhyCommand.jobDetail(client, executionId, jobId);
    if (follow) {
      return follow(client);
    }
    if (printedRaw(answer)) {
      return 0;
    }
    JobDetail job = answer.as(JobDetail.class);
    if (job.logs() == null || job.logs().isEmpty()) {
      err().println("no logs for job " + jobId + " (" + text(job.status()) + ", " + job.attempts() + " attempts): "
          + "an attempt's logs arrive when it ends" + (job.status() != null && job.status().settled() ? ""
          : "; gantry logs --follow " + executionId + " " + jobId + " waits for them"));
      err().flush();
      return 0;
    }
    AttemptRecord last = lastEnded(job);
    err().println("== job " + jobId + " (" + text(job.status()) + "), " + (last == null ? "its last attempt"
        : "attempt " + last.number() + (last.workerId() == null ? "" : " on " + last.workerId()) + ": "
        + text(last.outcome())) + " ==");
    err().flush();
    printLogs(job.logs());
    return 0;
  }

  /** The attempt the detail's logs are of: the last one that ended. */
  private static AttemptRecord lastEnded(JobDetail job) {
    AttemptRecord last = null;
    for (AttemptRecord a : job.attemptHistory() == null ? List.<AttemptRecord>of() : job.attemptHistory()) {
      if (a.endedAt() != null && (last == null || a.number() > last.number())) {
        last = a;
      }
    }
    return last;
  }

  /** The job's events from the start: every attempt's logs once, until the job's own end (or the execution's). */
  private int follow(ApiClient client) {
    try (EventStream events = events(client, executionId)) {
      while (!events.ended()) {
        PublicEvent event = events.next(WAKE_MS);
        if (event == null) {
          continue;
        }
        if (json()) {
          if (jobId.equals(event.data().path("jobId").asText(null))) {
            out().println(event.data());
            out().flush();
          }
        } else {
          show(event);
        }
        if (jobEnded(event)) {
          break;
        }
      }
    }
    return 0;
  }

  private void show(PublicEvent event) {
    JsonNode d = event.data();
    if (!jobId.equals(d.path("jobId").asText(null))) {
      return;
    }
    String attempt = attemptName(d.path("attemptId").asText(null));
    switch (event.type()) {
      case "job-started" -> note("== " + attempt + " started on " + d.path("workerId").asText("?") + " ==");
      case "job-progress" -> {
        if (d.path("logs").isTextual()) {
          printLogs(lines(d).live(d.path("logs").asText()));
        }
        String detail = EventLine.detail(event);
        if (!detail.isEmpty()) {
          note("progress: " + detail);
        }
      }
      case "job-completed", "job-failed", "job-retrying" -> {
        if (d.path("logs").isTextual()) {
          printLogs(lines(d).unprinted(d.path("logs").asText()));
        }
        String outcome = event.type().equals("job-completed") ? "completed" : event.type().equals("job-failed")
            ? "failed" : "ended, to be retried";
        String detail = EventLine.detail(event);
        note("== " + attempt + " " + outcome + (detail.isEmpty() ? "" : ": " + detail) + " ==");
      }
      case "job-skipped", "job-cancelled" -> note("== job " + jobId + " " + event.type().substring(4) + " ==");
      default -> { }
    }
  }

  private boolean jobEnded(PublicEvent event) {
    if (event.isFinal()) {
      return true;
    }
    boolean ours = jobId.equals(event.data().path("jobId").asText(null));
    return ours && switch (event.type()) {
      case "job-completed", "job-failed", "job-skipped", "job-cancelled" -> true;
      default -> false;
    };
  }

  private AttemptLines lines(JsonNode event) {
    return printed.computeIfAbsent(event.path("attemptId").asText(""), a -> new AttemptLines());
  }

  private String attemptName(String attemptId) {
    AttemptIds.Parsed parsed = AttemptIds.parse(attemptId);
    return parsed == null ? "attempt" : "attempt " + parsed.number();
  }

  private void printLogs(String logs) {
    out().print(logs.endsWith("\n") || logs.isEmpty() ? logs : logs + System.lineSeparator());
    out().flush();
  }

  private void note(String line) {
    notice(line);
  }
}
