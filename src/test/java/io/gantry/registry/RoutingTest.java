package io.gantry.registry;

import io.gantry.protocol.WorkerRegistration;
import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.testkit.Await;
import io.gantry.testkit.ProbeWorker;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the registry routes jobs, driven through the actor API with workers played by the test: priority, capability
 * and requirement matching, lowest utilization, concurrency keys. Each test has its own node (and so its own pool).
 */
class RoutingTest {
  @RegisterExtension
  final TestNode node = TestNode.builder().roles("orchestrator").build();

  String submit(String jobJson) {
    return Await.result(node.gantry().submit(DagParser.parse(
        "{\"workflowId\": \"routing\", \"jobs\": [" + jobJson + "]}"))).executionId();
  }

  @Test
  void mostUrgentPriorityFirstWithOneSlot() {
    ProbeWorker w = ProbeWorker.register(node, "one-slot", 1);
    String first = submit("{\"id\": \"blocker\", \"type\": \"noop\"}");
    var blocker = w.nextJob();
    String low = submit("{\"id\": \"low\", \"type\": \"noop\", \"priority\": 1}");
    String high = submit("{\"id\": \"high\", \"type\": \"noop\", \"priority\": 10}");
    String mid = submit("{\"id\": \"mid\", \"type\": \"noop\", \"priority\": 5}");
    String mid2 = submit("{\"id\": \"mid2\", \"type\": \"noop\", \"priority\": 5}");
    w.expectNoJob(Duration.ofMillis(300));
    assertTrue(w.finish(blocker, true).isSuccess());
    List<String> order = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      var o = w.nextJob();
      order.add(o.jobId());
      w.finish(o, true);
    }
    assertEquals(List.of("high", "mid", "mid2", "low"), order);
    for (String id : List.of(first, low, high, mid, mid2)) {
      assertEquals(ExecutionStatus.COMPLETED, awaitFinished(id));
    }
  }

  @Test
  void gpuJobWaitsForAGpuWorker() {
    ProbeWorker cpu = ProbeWorker.register(node, "cpu-only", 4);
    String id = submit("{\"id\": \"train\", \"type\": \"noop\", \"requiredCapabilities\": [\"gpu\"],"
        + " \"requirements\": {\"minMemoryGB\": 16, \"requireGpu\": true}}");
    cpu.expectNoJob(Duration.ofMillis(400));
    JobDetail waiting = Await.until(() -> Await.result(node.gantry().job(id, "train")),
        d -> "no-capable-worker".equals(d.blockedBy()), Duration.ofSeconds(5), "blockedBy no-capable-worker");
    assertEquals("queued", waiting.status().wireName());
    // A gpu worker with too little memory does not qualify either.
    ProbeWorker smallGpu = ProbeWorker.register(node, "small-gpu", List.of("cpu", "gpu"), 4,
        new WorkerRegistration.Metadata(8, 8.0, 1, null, null));
    smallGpu.expectNoJob(Duration.ofMillis(300));
    ProbeWorker gpu = ProbeWorker.register(node, "big-gpu", List.of("cpu", "gpu"), 4,
        new WorkerRegistration.Metadata(16, 64.0, 2, null, null));
    var offer = gpu.nextJob();
    assertEquals("train", offer.jobId());
    gpu.finish(offer, true);
    assertEquals(ExecutionStatus.COMPLETED, awaitFinished(id));
    cpu.expectNoJob(Duration.ofMillis(100));
  }

  @Test
  void lowestUtilizationWins() {
    ProbeWorker a = ProbeWorker.register(node, "a-two-slots", 2);
    ProbeWorker b = ProbeWorker.register(node, "b-four-slots", 4);
    // Both idle: the tie goes to fewer running, then the id: a. Then a is at 1/2 and b at 0/4: b, and so on.
    submit("{\"id\": \"j1\", \"type\": \"noop\"}");
    assertEquals("j1", a.nextJob().jobId());
    submit("{\"id\": \"j2\", \"type\": \"noop\"}");
    assertEquals("j2", b.nextJob().jobId());
    submit("{\"id\": \"j3\", \"type\": \"noop\"}");
    assertEquals("j3", b.nextJob().jobId());
    submit("{\"id\": \"j4\", \"type\": \"noop\"}");
    assertEquals("j4", a.nextJob().jobId());
  }

  @Test
  void jobsSharingAConcurrencyKeyNeverRunTogether() {
    ProbeWorker w = ProbeWorker.register(node, "roomy", 8);
    submit("{\"id\": \"first\", \"type\": \"noop\", \"concurrencyKey\": \"model-registry\"}");
    var first = w.nextJob();
    submit("{\"id\": \"second\", \"type\": \"noop\", \"concurrencyKey\": \"model-registry\"}");
    String other = submit("{\"id\": \"other\", \"type\": \"noop\"}");
    assertEquals("other", w.nextJob().jobId(), "a job without the key passes");
    w.expectNoJob(Duration.ofMillis(300));
    w.finish(first, true);
    assertEquals("second", w.nextJob().jobId());
    assertNotNull(other);
  }

  static ExecutionStatus awaitFinishedIn(TestNode node, String id) {
    return Await.until(() -> Await.result(node.gantry().status(id)).status(), ExecutionStatus::finished,
        Duration.ofSeconds(20), "execution " + id + " to finish");
  }

  ExecutionStatus awaitFinished(String id) {
    return awaitFinishedIn(node, id);
  }
}
