package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.testkit.FixedPorts;
import io.gantry.testkit.GantryScript.Result;
import io.gantry.testkit.GantryScript;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/gantry cluster start --nodes 2 / status / stop}: a local two-node cluster that runs a DAG. */
@Tag("slow")
@ExtendWith(FixedPorts.class)
class ClusterCommandTest {

  @TempDir
  Path dir;

  static Result gantry(String... args) throws Exception {
    return GantryScript.run(args);
  }

  @Test
  void startsTwoNodesThatRunADagAndStopsThem() throws Exception {
    try {
      Result started = gantry("cluster", "start", "--nodes", "2");
      assertEquals(0, started.code(), started.out());
      assertEquals(2, started.out().lines().filter(l -> l.matches("^[12] .*ready$")).count(), started.out());

      Path doc = dir.resolve("dag.json");
      Files.writeString(doc, """
          {"workflowId": "cluster", "jobs": [
            {"id": "a", "type": "noop"}, {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
      CliRun run = CliRun.of("submit", doc.toString(), "--wait", "--server", "http://127.0.0.1:8082");
      assertEquals(0, run.exitCode(), run.out() + run.err());
      CliRun workers = CliRun.of("workers", "--server", "http://127.0.0.1:8081");
      assertTrue(workers.out().contains("node-1") && workers.out().contains("node-2"), workers.out());
    } finally {
      Result stopped = gantry("cluster", "stop");
      assertEquals(0, stopped.code(), stopped.out());
    }
    assertTrue(gantry("cluster", "status").out().contains("no cluster nodes"));
  }
}
