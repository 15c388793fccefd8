package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
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
  private static final List<String> STAT_FIELDS =
      List.of("waiting", "queued", "active", "delayed", "completed", "failed", "cancelled", "paused", "workers");

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
      case drain -> removed(client.post("queue/drain", body().put("delayed", delayed), null), "cancelled");
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
    JsonNode stats = answer.json();
    StringBuilder sb = new StringBuilder();
    for (String field : STAT_FIELDS) {
      if (stats.has(field)) {
        sb.append(String.format("%-12s%s%n", field, stats.get(field).asText()));
      }
    }
    if (stats.path("utilization").isNumber()) {
      sb.append(String.format("%-12s%.0f%%%n", "utilization", stats.get("utilization").asDouble() * 100));
    }
    Table backlog = new Table("CAPABILITY", "QUEUED", "OLDEST");
    for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("backlog").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      long oldest = e.getValue().path("oldestQueuedAgeMs").asLong(0);
      backlog.row(e.getKey(), text(e.getValue(), "queued"), oldest > 0 ? Times.duration(oldest) : "");
    }
    if (!backlog.isEmpty()) {
      sb.append(System.lineSeparator()).append(backlog.render());
    }
    print(sb.toString());
    return 0;
  }

  private int clean(ApiClient client) {
    ObjectNode body = body();
    if (graceMs != null) {
      body.put("graceMs", graceMs);
    }
    if (limit != null) {
      body.put("limit", limit);
    }
    if (type != null) {
      body.put("type", type);
    }
    return removed(client.post("queue/clean", body, null), "forgot");
  }

  private int confirm(ApiClient.Answer answer, String message) {
    if (!printedRaw(answer)) {
      print(message + System.lineSeparator());
    }
    return 0;
  }

  private int removed(ApiClient.Answer answer, String verb) {
    if (!printedRaw(answer)) {
      print(verb + " " + answer.json().path("removed").asLong() + " " + (action == Action.drain ? "jobs" : "executions")
          + System.lineSeparator());
    }
    return 0;
  }

  private static ObjectNode body() {
    return ApiClient.MAPPER.createObjectNode();
  }
}
