package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a real node: exit codes of submit --wait, --json answers, workers and queue stats. */
class CliEndToEndTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().build();
  static final String server = node.httpBase();

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    Await.until(() -> CliRun.of("list", "--server", server, "--json").exitCode(), c -> c == 0, Duration.ofSeconds(20),
        "the API to answer");
  }

  Path write(String name, String json) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, json);
    return f;
  }

  @Test
  void submitWaitExitsZeroWhenTheExecutionCompletes() throws Exception {
    Path f = write("ok.json", """
        {"workflowId": "cli-ok", "jobs": [
          {"id": "a", "type": "noop", "config": {"output": {"answer": 42}}},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}
        ]}""");
    CliRun run = CliRun.of("submit", f.toString(), "--wait", "--server", server);
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("completed"), run.out());
  }

  @Test
  void submitWaitExitsOneWhenTheExecutionFails() throws Exception {
    Path f = write("fail.json", """
        {"workflowId": "cli-fail", "jobs": [{"id": "x", "type": "fail", "maxRetries": 0}]}""");
    CliRun run = CliRun.of("submit", f.toString(), "--wait", "--server", server);
    assertEquals(1, run.exitCode(), run.out() + run.err());
  }

  @Test
  void badDocumentExitsTwoNamingTheProblem() throws Exception {
    Path f = write("cycle.json", """
        {"workflowId": "cli-bad", "jobs": [
          {"id": "a", "type": "noop", "dependsOn": ["b"]},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}
        ]}""");
    CliRun run = CliRun.of("submit", f.toString(), "--server", server);
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("cycle"), run.err());
    assertEquals(2, CliRun.of("submit", dir.resolve("missing.json").toString(), "--server", server).exitCode());
  }

  @Test
  void jsonAnswersAreTheApiAnswers() throws Exception {
    Path f = write("json.json", """
        {"workflowId": "cli-json", "executionId": "cli-json-1", "jobs": [{"id": "a", "type": "noop"}]}""");
    assertEquals(0, CliRun.of("submit", f.toString(), "--wait", "--server", server).exitCode());
    CliRun status = CliRun.of("status", "cli-json-1", "--json", "--server", server);
    assertEquals(0, status.exitCode(), status.err());
    var json = new ObjectMapper().readTree(status.out());
    assertEquals("completed", json.get("status").asText());
    assertEquals("cli-json", json.get("workflowId").asText());
    CliRun workers = CliRun.of("workers", "--json", "--server", server);
    assertEquals(0, workers.exitCode(), workers.err());
    assertEquals("cluster", new ObjectMapper().readTree(workers.out()).get(0).get("kind").asText());
    CliRun stats = CliRun.of("queue", "stats", "--json", "--server", server);
    assertEquals(0, stats.exitCode(), stats.err());
    assertTrue(new ObjectMapper().readTree(stats.out()).has("backlog"));
    assertEquals(1, CliRun.of("status", "no-such-execution", "--server", server).exitCode());
  }

  @Test
  void listShowsWhenEachExecutionWasCreatedAndHowLongItTook() throws Exception {
    Path f = write("list.json", """
        {"workflowId": "cli-list", "executionId": "cli-list-1", "jobs": [{"id": "a", "type": "noop"}]}""");
    assertEquals(0, CliRun.of("submit", f.toString(), "--wait", "--server", server).exitCode());
    CliRun list = CliRun.of("list", "--workflow", "cli-list", "--server", server);
    assertEquals(0, list.exitCode(), list.err());
    String row = list.out().lines().filter(l -> l.startsWith("cli-list-1")).findFirst().orElseThrow();
    assertTrue(row.matches("cli-list-1\\s+cli-list\\s+completed\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\S+"),
        row);
  }
}
