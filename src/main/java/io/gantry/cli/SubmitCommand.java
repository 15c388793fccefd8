package io.gantry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.api.ExecutionAccepted;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gantry submit FILE [--wait]}: POST /execute/distributed. */
@Command(name = "submit", description = "Submit a DAG document (JSON); '-' reads it from stdin.")
final class SubmitCommand extends ApiCommand {

  @Parameters(paramLabel = "FILE", description = "the DAG document, or - for stdin")
  String file;

  @Option(names = "--wait", description = "show live progress and wait until the execution has finished "
      + "(exit 0 only if it completed)")
  boolean await;

  @Option(names = "--id", paramLabel = "ID", description = "use ID as the executionId (submitting the same "
      + "document under the same id again is idempotent)")
  String executionId;

  @Override
  int run(ApiClient client) {
    ObjectNode dag = readDocument();
    if (executionId != null) {
      dag.put("executionId", executionId);
    }
    ApiClient.Answer submitted = client.post("execute/distributed", dag, null);
    ExecutionAccepted answer = submitted.as(ExecutionAccepted.class);
    String id = text(answer.executionId());
    if (!await) {
      if (!printedRaw(submitted)) {
        print("submitted execution " + id + " (workflow " + text(answer.workflowId()) + ", "
            + text(answer.status()) + ")" + System.lineSeparator());
      }
      return 0;
    }
    err().println("submitted execution " + id + " (workflow " + text(answer.workflowId()) + ")");
    ApiClient.Answer last = new ExecutionWatcher(client, err(), ExecutionWatcher.stderrIsTerminal()).await(id);
    ExecutionState state = last.as(ExecutionState.class);
    if (!printedRaw(last)) {
      print(ExecutionView.render(state, System.currentTimeMillis()));
    }
    return state.status() == ExecutionStatus.COMPLETED ? 0 : CliFailure.FAILED;
  }

  private ObjectNode readDocument() {
    String name = "-".equals(file) ? "stdin" : file;
    String content;
    try {
      content = "-".equals(file) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw CliFailure.badInput(name + ": no such file");
    } catch (IOException e) {
      throw CliFailure.badInput(name + ": cannot read: " + e.getMessage());
    }
    JsonNode dag;
    try {
      dag = ApiClient.MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      throw CliFailure.badInput(name + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
    }
    if (dag == null || !dag.isObject()) {
      throw CliFailure.badInput(name + ": expected a JSON object with workflowId and jobs");
    }
    return (ObjectNode) dag;
  }
}
