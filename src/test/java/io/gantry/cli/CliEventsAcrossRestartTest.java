package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.testkit.Await;
import java.io.PrintWriter;
import java.io.StringWriter;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/**
 * {@code gantry events} survives the node being restarted under it (as do {@code logs --follow} and
 * {@code submit --wait}, over the same stream): the stream breaks, the CLI says so and opens it again, the server
 * replays from the start, and what the CLI printed is exactly what a fresh {@code events} of the finished execution
 * prints: nothing twice, nothing missing.
 */
class CliEventsAcrossRestartTest {
  @RegisterExtension
  final TestNode node = TestNode.builder().api().build();

  @Test
  void theStreamIsOpenedAgainAfterARestartAndNothingIsPrintedTwice() throws Exception {
    String server = node.httpBase();
    TestHttpClient.Answer submitted = node.http().post("/execute/distributed", """
        {"workflowId": "events-restart", "jobs": [
          {"id": "long", "type": "sleep", "config": {"ms": 4000}},
          {"id": "after", "type": "noop", "dependsOn": ["long"]}]}""");
    assertEquals(202, submitted.status(), submitted.body());
    String id = submitted.json().get("executionId").asText();
    // The CLI runs on a thread of its own, its output read as it comes: the restart must come once it follows.
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new GantryMain());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> followed = CompletableFuture.supplyAsync(() -> cli.execute("events", id, "--server",
        server));
    Await.until(out::toString, o -> o.matches("(?s).*job-started\\s+long\\b.*"), Duration.ofSeconds(30),
        "the CLI to print that the long job started");

    node.restart();

    CliRun run = new CliRun(followed.get(120, TimeUnit.SECONDS), out.toString(), err.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.err().contains("the event stream of execution " + id + " broke ("), run.err());
    assertTrue(run.err().contains("); opening it again"), run.err());
    CliRun fresh = CliRun.of("events", id, "--server", server);
    assertEquals(0, fresh.exitCode(), fresh.err());
    List<String> lines = run.out().lines().toList();
    assertEquals(fresh.out().lines().toList(), lines);
    assertTrue(lines.get(lines.size() - 1).contains("execution-completed"), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches("\\S+  job-completed\\s+after\\s+.*")), run.out());
  }
}
