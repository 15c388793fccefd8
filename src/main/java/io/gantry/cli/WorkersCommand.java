package io.gantry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code gantry workers}: GET /workers/list. */
@Command(name = "workers", description = "List the registered workers (cluster nodes and HTTP workers).")
final class WorkersCommand extends ApiCommand {

  @Override
  int run(ApiClient client) {
    ApiClient.Answer answer = client.get("workers/list", null);
    if (printedRaw(answer)) {
      return 0;
    }
    long now = System.currentTimeMillis();
    Table table = new Table("WORKER", "KIND", "STATUS", "LOAD", "CAPABILITIES", "HOST", "HEARTBEAT");
    for (JsonNode w : answer.json()) {
      List<String> capabilities = new ArrayList<>();
      w.path("capabilities").forEach(c -> capabilities.add(c.asText()));
      table.row(text(w, "workerId"), text(w, "kind"), text(w, "status"),
          text(w, "currentLoad") + "/" + text(w, "maxConcurrency"), String.join(",", capabilities),
          text(w, "hostname"), Times.ago(w.path("lastHeartbeat"), now));
    }
    print(table.isEmpty() ? "no workers" + System.lineSeparator() : table.render());
    return 0;
  }
}
