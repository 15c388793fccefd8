package io.gantry.cli;

import io.gantry.protocol.ExecutionState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gantry cancel|pause|resume|retry ID}: POST /execute/{id}/{action}. */
abstract class ExecutionActionCommand extends ApiCommand {

  @Parameters(paramLabel = "ID", description = "execution id")
  String executionId;

  @Override
  int run(ApiClient client) {
    ApiClient.Answer answer = client.post("execute/" + ApiClient.segment(executionId) + "/" + spec.name(), null,
        executionNotFound(executionId));
    if (!printedRaw(answer)) {
      ExecutionState state = answer.as(ExecutionState.class);
      print("execution " + executionId + ": " + text(state.status()) + System.lineSeparator());
    }
    return 0;
  }

  @Command(name = "cancel", description = "Cancel an execution: running jobs are stopped, the rest never start.")
  static final class Cancel extends ExecutionActionCommand {
  }

  @Command(name = "pause", description = "Pause an execution: running jobs finish, no new ones start.")
  static final class Pause extends ExecutionActionCommand {
  }

  @Command(name = "resume", description = "Resume a paused execution.")
  static final class Resume extends ExecutionActionCommand {
  }

  @Command(name = "retry", description = "Re-queue an execution's failed, skipped and cancelled jobs.")
  static final class Retry extends ExecutionActionCommand {
  }
}
