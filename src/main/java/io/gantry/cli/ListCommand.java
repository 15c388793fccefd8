package io.gantry.cli;

import io.gantry.protocol.ExecutionPage;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gantry list}: GET /execute, newest first. */
@Command(name = "list", description = "List executions, newest first.")
final class ListCommand extends ApiCommand {

  @Option(names = "--workflow", paramLabel = "W", description = "only this workflowId")
  String workflowId;

  @Option(names = "--status", paramLabel = "S", description = "pending|running|paused|completed|failed|cancelled")
  String status;

  @Option(names = "--limit", paramLabel = "N", description = "at most N (default 100)")
  Integer limit;

  @Option(names = "--cursor", paramLabel = "C", description = "continue where a previous list stopped")
  String cursor;

  @Override
  int run(ApiClient client) {
    if (limit != null && limit < 1) {
      throw CliFailure.badInput("--limit must be at least 1");
    }
    Map<String, Object> q = ApiClient.params();
    q.put("workflowId", workflowId);
    q.put("status", status);
    q.put("limit", limit);
    q.put("cursor", cursor);
    ApiClient.Answer answer = client.get("execute" + ApiClient.query(q), null);
    if (printedRaw(answer)) {
      return 0;
    }
    ExecutionPage page = answer.as(ExecutionPage.class);
    long now = System.currentTimeMillis();
    Table table = new Table("EXECUTION", "WORKFLOW", "STATUS", "CREATED", "DURATION");
    for (ExecutionPage.ExecutionSummary e : page.items() == null ? List.<ExecutionPage.ExecutionSummary>of()
        : page.items()) {
      table.row(text(e.executionId()), text(e.workflowId()), text(e.status()), Times.at(e.createdAt()),
          Times.between(e.createdAt(), e.completedAt(), now));
    }
    print(table.isEmpty() ? "no executions" + System.lineSeparator() : table.render());
    String next = text(page.nextCursor());
    if (!next.isEmpty()) {
      err().println("more: gantry list --cursor " + next);
    }
    return 0;
  }
}
