package io.gantry.execution;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An ActorSystem stopped in the middle of a DAG, and a new one on the same Redis finishing it. */
class RecoveryTest {

  @Test
  void aNewNodeOnTheSameRedisFinishesWhatTheOldOneStarted() {
    try (TestNode node = TestNode.start("")) {
      String id = Await.result(node.gantry().submit(DagParser.parse("""
          {"workflowId": "recovery", "jobs": [
            {"id": "a", "type": "noop", "config": {"output": {"from": "a"}}},
            {"id": "b", "type": "sleep", "dependsOn": ["a"], "config": {"ms": 1500}},
            {"id": "c", "type": "noop", "dependsOn": ["b"]}
          ]}"""))).executionId();
      Await.until(() -> Await.result(node.gantry().status(id)).jobs().get("b").status(),
          s -> s == JobStatus.RUNNING, Duration.ofSeconds(20), "b running");

      node.restart();

      ExecutionState done = Await.until(() -> Await.result(node.gantry().status(id)), s -> s.status().finished(),
          Duration.ofSeconds(60), "the execution to finish on the new node");
      assertEquals(ExecutionStatus.COMPLETED, done.status());
      assertEquals(1, done.jobs().get("a").attempts(), "completed work is not run again");
      assertTrue(done.jobs().get("b").attempts() >= 2, "the interrupted attempt ran again");
      assertTrue(done.jobResults().get("c").output().get("inputs").has("b"), "outputs still flow after recovery");
    }
  }

  @Test
  void timeoutKillsTheWholeProcessTreeOfAShellJob() throws Exception {
    Path pidFile = Files.createTempFile("gantry-timeout", ".pid");
    try (TestNode node = TestNode.start("")) {
      String id = Await.result(node.gantry().submit(DagParser.parse("""
          {"workflowId": "timeout", "jobs": [
            {"id": "slow", "type": "shell", "timeoutMs": 1500, "maxRetries": 0,
             "config": {"command": ["sh", "-c", "sleep 300 & echo $! > %s; sleep 300"]}}
          ]}""".formatted(pidFile)))).executionId();
      ExecutionState done = Await.until(() -> Await.result(node.gantry().status(id)), s -> s.status().finished(),
          Duration.ofSeconds(30), "the timeout");
      assertEquals(ExecutionStatus.FAILED, done.status());
      assertTrue(done.jobs().get("slow").error().contains("timed out"), done.jobs().get("slow").error());
      long child = Long.parseLong(Files.readString(pidFile).trim());
      Await.until(() -> ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)
              && !isZombie(child), alive -> !alive, Duration.ofSeconds(10), "the background child to be killed");
    } finally {
      Files.deleteIfExists(pidFile);
    }
  }

  /** A killed process may linger as a zombie until its parent (here PID 1) reaps it. */
  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (Exception e) {
      return false;
    }
  }
}
