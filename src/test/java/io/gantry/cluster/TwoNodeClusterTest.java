package io.gantry.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.NodeJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes with every role: killing the first seed leaves the survivor alone, a minority of one. With
 * keep-majority it downed itself; with the Redis lease (lease-majority) it wins and carries on.
 */
@Tag("slow")
class TwoNodeClusterTest {
  @TempDir
  Path dir;

  @Test
  void theSurvivorOfATwoNodeClusterKeepsServingAndFinishesTheWork() throws Exception {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("n1", "orchestrator,worker,api");
    roles.put("n2", "orchestrator,worker,api");
    try (ClusterProcesses cluster = new ClusterProcesses(dir, roles, 4)) {
      cluster.startAll();
      List<String> dags = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        dags.add("{\"workflowId\": \"two-nodes\", \"jobs\": [{\"id\": \"a\", \"type\": \"sleep\", "
            + "\"config\": {\"ms\": 6000}}, {\"id\": \"b\", \"type\": \"noop\", \"dependsOn\": [\"a\"]}]}");
      }
      List<String> ids = cluster.submitAll(dags);
      ClusterProcesses.await(Duration.ofSeconds(30), "jobs running on both nodes", () -> {
        long onN1 = 0;
        for (String id : ids) {
          JsonNode a = cluster.status(id).get("jobs").get("a");
          onN1 += a.get("status").asText().equals("running") && a.get("workerId").asText().equals("n1") ? 1 : 0;
        }
        return onN1 > 0;
      });

      long killedAt = System.nanoTime();
      cluster.node("n1").kill();
      NodeJvm n2 = cluster.node("n2");
      ClusterProcesses.await(Duration.ofSeconds(40), "the survivor downing n1", () -> n2.logText()
          .contains("SBR took decision"));
      long decidedMs = (System.nanoTime() - killedAt) / 1_000_000;
      assertTrue(n2.isAlive(), "the survivor is still running; log:\n" + n2.tail());
      assertTrue(n2.logText().contains("lease gantry-pekko-sbr acquired"), n2.tail());
      assertFalse(n2.logText().contains("including myself"), n2.tail());

      Map<String, JsonNode> done = cluster.awaitFinished(ids, Duration.ofSeconds(90));
      done.values().forEach(s -> assertEquals("completed", s.get("status").asText(), s.toString()));
      String late = cluster.submit("{\"workflowId\": \"two-nodes\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
      assertEquals("completed", cluster.awaitFinished(List.of(late), Duration.ofSeconds(30)).get(late)
          .get("status").asText());
      assertEquals(200, n2.get("/health/ready").statusCode());
      System.out.println("FIGURE two nodes, first seed SIGKILL -> survivor's SBR decision: " + decidedMs + " ms");
    }
  }
}
