package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry status ID}: GET /execute/{id}/status. */
@Command(name = "status", description = "Show an execution's status and its jobs.")
final class StatusCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "execution id")
  String executionId;

  @Override
  int run(ApiClient client) {
    ApiClient.Answer answer = client.get("execute/" + ApiClient.segment(executionId) + "/status",
        executionNotFound(executionId));
    if (!printedRaw(answer)) {
      print(ExecutionView.render(answer.as(ExecutionState.class), System.currentTimeMillis()));
    }
    return 0;
  }
}
