package io.gantry.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers decide what shell runs, through the public face: a node with shell off never runs a shell job (it waits,
 * blockedBy shell-not-allowed), a second node allowing only {@code echo} runs the echo job, and jobs starting
 * {@code rm}, {@code sh -c}, an absolute or a relative path wait on and never run.
 */
@Tag("slow")
class ShellPolicyNodesTest {
  @TempDir Path dir;

  @Test
  void aShellJobWaitsForAWorkerThatAllowsItsProgramAndNoOtherRunsIt() throws Exception {
    String prefix = RedisPrefix.random("shell-policy");
    int clusterPort = TestNode.freePort();
    try (TestNode first = TestNode.builder().api().prefix(prefix)
        .config("gantry.worker.id = \"no-shell\"\ngantry.worker.shell.enabled = off\n"
            + "pekko.remote.artery.canonical.port = " + clusterPort).build().start()) {
      TestHttpClient http = first.http();
      JsonNode noShell = worker(http, "no-shell");
      assertFalse(texts(noShell.get("jobTypes")).contains("shell"), noShell::toString);
      assertEquals(List.of(), texts(noShell.path("metadata").path("shellCommands")), noShell::toString);

      String echo = http.submitted(dag("{\"id\": \"say\", \"type\": \"shell\", \"config\": {\"command\": "
          + "[\"echo\", \"hello from the allowed worker\"]}}"));
      JsonNode waiting = http.until("/execute/" + echo + "/jobs/say",
          j -> "shell-not-allowed".equals(j.path("blockedBy").asText()), "the echo job to wait for a shell worker");
      assertEquals("queued", waiting.path("status").asText(), waiting::toString);

      try (NodeJvm second = NodeJvm.Spec.of(dir, "echo-only", prefix).roles("worker").worker("echo-only", 2)
          .seeds(List.of("127.0.0.1:" + clusterPort)).env("GANTRY_SHELL_COMMANDS", "echo").build().launch()) {
        JsonNode echoOnly = Await.until(() -> workerOrNull(http, "echo-only"), w -> w != null,
            Duration.ofSeconds(60), "the echo-only worker to register; log:\n" + second.logTail(4000));
        assertEquals(List.of("echo"), texts(echoOnly.path("metadata").path("shellCommands")), echoOnly::toString);
        assertTrue(texts(echoOnly.get("jobTypes")).contains("shell"), echoOnly::toString);

        JsonNode done = http.awaitFinished(echo);
        assertEquals("completed", done.path("status").asText(), done::toString);
        JsonNode say = http.get("/execute/" + echo + "/jobs/say").json();
        assertEquals("echo-only", say.path("workerId").asText(), say::toString);
        assertTrue(say.path("logs").asText().contains("hello from the allowed worker"), say::toString);

        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        String refused = http.submitted(dag(
            shell("rm", "[\"rm\", \"-f\", \"" + victim + "\"]") + ", "
                + shell("sh", "[\"sh\", \"-c\", \"rm -f " + victim + "\"]") + ", "
                + shell("absolute", "[\"/bin/echo\", \"x\"]") + ", "
                + shell("relative", "[\"./echo\", \"x\"]") + ", "
                + shell("fine", "[\"echo\", \"still dispatched\"]")));
        http.until("/execute/" + refused + "/jobs/fine", j -> "completed".equals(j.path("status").asText()),
            "the allowed job next to the refused ones to complete");
        for (String job : List.of("rm", "sh", "absolute", "relative")) {
          JsonNode detail = http.until("/execute/" + refused + "/jobs/" + job,
              j -> "shell-not-allowed".equals(j.path("blockedBy").asText()), job + " to wait as shell-not-allowed");
          assertEquals("queued", detail.path("status").asText(), detail::toString);
          assertTrue(detail.path("workerId").isMissingNode() || detail.path("workerId").isNull(), detail::toString);
        }
        assertTrue(Files.exists(victim), "no refused command ran");
        assertEquals(200, http.post("/execute/" + refused + "/cancel", "{}").status());
      }
    }
  }

  private static String dag(String jobs) {
    return "{\"workflowId\": \"shell-policy\", \"jobs\": [" + jobs + "]}";
  }

  private static String shell(String id, String argv) {
    return "{\"id\": \"" + id + "\", \"type\": \"shell\", \"maxRetries\": 0, \"config\": {\"command\": " + argv + "}}";
  }

  private static JsonNode worker(TestHttpClient http, String id) {
    return Await.until(() -> workerOrNull(http, id), w -> w != null, Duration.ofSeconds(30), id + " in /workers");
  }

  private static JsonNode workerOrNull(TestHttpClient http, String id) {
    JsonNode list = http.get("/workers/list").json();
    JsonNode workers = list.isArray() ? list : list.path("workers");
    return StreamSupport.stream(workers.spliterator(), false)
        .filter(w -> id.equals(w.path("workerId").asText())).findFirst().orElse(null);
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
