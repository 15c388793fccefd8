package io.gantry.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.FixedPorts;
import io.gantry.testkit.GantryScript;
import io.gantry.testkit.TestHttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bin/gantry cluster}: every node lists every node as a seed, so node 1 killed and started again alone
 * joins node 2 instead of forming a second cluster on the same Redis.
 */
@Tag("slow")
@ExtendWith(FixedPorts.class)
class ClusterScriptSeedsTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String gantry(String... args) throws Exception {
    GantryScript.Result r = GantryScript.run(args);
    assertEquals(0, r.code(), r.out());
    return r.out();
  }

  static JsonNode workerSeenBy(int httpPort, String workerId) throws Exception {
    HttpResponse<String> r = new TestHttpClient("http://127.0.0.1:" + httpPort, null, Duration.ofSeconds(10))
        .exchange("GET", "/workers/list", null);
    for (JsonNode w : JSON.readTree(r.body())) {
      if (w.get("workerId").asText().equals(workerId)) {
        return w;
      }
    }
    return null;
  }

  @Test
  void nodeOneStartedAgainAloneJoinsTheRunningNodes() throws Exception {
    Path pidFile = Path.of("var/cluster/node-1.pid");
    try {
      gantry("cluster", "start", "--nodes", "2");
      long oldPid = Long.parseLong(Files.readString(pidFile).trim());
      ProcessHandle.of(oldPid).orElseThrow().destroyForcibly();
      ClusterProcesses.await(Duration.ofSeconds(10), "node 1 gone", () -> ProcessHandle.of(oldPid).isEmpty()
          || !ProcessHandle.of(oldPid).get().isAlive());

      gantry("cluster", "start", "--nodes", "1");
      long newPid = Long.parseLong(Files.readString(pidFile).trim());
      assertNotEquals(oldPid, newPid);
      // Node 2's registry hears from node 1's new worker only if node 1 joined node 2's cluster.
      ClusterProcesses.await(Duration.ofSeconds(60), "node 2 seeing node 1's new worker", () -> {
        JsonNode w = workerSeenBy(8082, "node-1");
        return w != null && w.get("pid").asLong() == newPid && !w.get("status").asText().equals("offline");
      });
      JsonNode two = workerSeenBy(8081, "node-2");
      assertNotNull(two, "node 1 sees node 2's worker");
      assertNotEquals("offline", two.get("status").asText());
    } finally {
      gantry("cluster", "stop");
    }
  }
}
