package io.gantry.cli;

import io.gantry.api.CleanRequest;
import io.gantry.api.DrainRequest;
import io.gantry.api.QueueStatsView;
import io.gantry.api.Removed;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry queue [stats|pause|resume|drain|clean]}: the /queue endpoints. */
@Command(name = "queue", description = "Queue statistics and control.", footer = {"",
    "Actions:",
    "  stats   counts per status, workers, utilization, backlog (default)",
    "  pause   stop dispatching new jobs cluster-wide",
    "  resume  dispatch again",
    "  drain   cancel every queued job not yet started",
    "          (--delayed: also those waiting for a retry)",
    "  clean   forget finished executions older than --grace-ms"})
final class QueueCommand extends ApiCommand {
  enum Action { stats, pause, resume, drain, clean }

  @Parameters(index = "0", arity = "0..1", paramLabel = "ACTION", defaultValue = "stats",
      description = "stats|pause|resume|drain|clean (default stats)")
  Action action;

  @Option(names = "--delayed", description = "drain: also cancel jobs waiting for a retry")
  boolean delayed;

  @Option(names = "--grace-ms", paramLabel = "MS", description = "clean: only executions finished longer ago")
  Long graceMs;

  @Option(names = "--limit", paramLabel = "N", description = "clean: at most N executions")
  Integer limit;

  @Option(names = "--type", paramLabel = "TYPE", description = "clean: completed|failed")
  String type;

  @Override
  int run(ApiClient client) {
    checkOptions();
    return switch (action) {
      case stats -> stats(client);
      case pause, resume -> confirm(client.post("queue/" + action, null, null),
          action == Action.pause ? "queue paused: no new jobs are dispatched" : "queue resumed");
      case drain -> removed(client.post("queue/drain", new DrainRequest(delayed), null), "cancelled");
      case clean -> clean(client);
    };
  }

  private void checkOptions() {
    if (delayed && action != Action.drain) {
      throw CliFailure.badInput("--delayed only applies to 'queue drain'");
    }
    if ((graceMs != null || limit != null || type != null) && action != Action.clean) {
      throw CliFailure.badInput("--grace-ms, --limit and --type only apply to 'queue clean'");
    }
    if (type != null && !type.equals("completed") && !type.equals("failed")) {
      throw CliFailure.badInput("--type must be completed or failed, not '" + type + "'");
    }
    if ((graceMs != null && graceMs < 0) || (limit != null && limit < 1)) {
      throw CliFailure.badInput("--grace-ms must be >= 0 and --limit >= 1");
    }
  }

  private int stats(ApiClient client) {
    ApiClient.Answer answer = client.get("queue/stats", null);
    if (printedRaw(answer)) {
      return 0;
    }
    QueueStatsView stats = answer.as(QueueStatsView.class);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("waiting", stats.waiting());
    figures.put("queued", stats.queued());
    figures.put("active", stats.active());
    figures.put("delayed", stats.delayed());
    figures.put("completed", stats.completed());
    figures.put("failed", stats.failed());
    figures.put("cancelled", stats.cancelled());
    figures.put("paused", stats.paused());
    figures.put("workers", stats.workers());
    StringBuilder sb = new StringBuilder();
    figures.forEach((name, value) -> sb.append(String.format("%-12s%s%n", name, value)));
    sb.append(String.format("%-12s%.0f%%%n", "utilization", stats.utilization() * 100));
    Table backlog = new Table("CAPABILITY", "QUEUED", "OLDEST");
    if (stats.backlog() != null) {
      stats.backlog().forEach((capability, b) -> backlog.row(capability, b.queued(),
          b.oldestQueuedAgeMs() > 0 ? Times.duration(b.oldestQueuedAgeMs()) : ""));
    }
    if (!backlog.isEmpty()) {
      sb.append(System.lineSeparator()).append(backlog.render());
    }
    print(sb.toString());
    return 0;
  }

  private int clean(ApiClient client) {
    return removed(client.post("queue/clean", new CleanRequest(graceMs, limit, type), null), "forgot");
  }

  private int confirm(ApiClient.Answer answer, String message) {
    if (!printedRaw(answer)) {
      print(message + System.lineSeparator());
    }
    return 0;
  }

  private int removed(ApiClient.Answer answer, String verb) {
    if (!printedRaw(answer)) {
      print(verb + " " + answer.as(Removed.class).removed() + " " + (action == Action.drain ? "jobs" : "executions")
          + System.lineSeparator());
    }
    return 0;
  }
}
