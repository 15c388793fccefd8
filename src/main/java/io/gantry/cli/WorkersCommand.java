package io.gantry.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gantry.protocol.WorkerInfo;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code gantry workers}: GET /workers/list. */
@Command(name = "workers", description = "List the registered workers (cluster nodes and HTTP workers).")
final class WorkersCommand extends ApiCommand {
  private static final TypeReference<List<WorkerInfo>> WORKERS = new TypeReference<>() {};

  @Override
  int run(ApiClient client) {
    ApiClient.Answer answer = client.get("workers/list", null);
    if (printedRaw(answer)) {
      return 0;
    }
    long now = System.currentTimeMillis();
    Table table = new Table("WORKER", "KIND", "STATUS", "LOAD", "CAPABILITIES", "HOST", "HEARTBEAT");
    for (WorkerInfo w : answer.as(WORKERS)) {
      table.row(text(w.workerId()), text(w.kind()), text(w.status()), w.currentLoad() + "/" + w.maxConcurrency(),
          w.capabilities() == null ? "" : String.join(",", w.capabilities()), text(w.hostname()),
          Times.ago(w.lastHeartbeat(), now));
    }
    print(table.isEmpty() ? "no workers" + System.lineSeparator() : table.render());
    return 0;
  }
}
