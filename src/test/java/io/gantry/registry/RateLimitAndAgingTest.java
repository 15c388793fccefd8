package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.testkit.Await;
import io.gantry.testkit.ProbeWorker;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The queue's rate limit and priority aging, configured on a node and seen by a worker played by the test. */
class RateLimitAndAgingTest {

  static String submit(TestNode node, String job) {
    return Await.result(node.gantry().submit(DagParser.parse(
        "{\"workflowId\": \"limits\", \"jobs\": [" + job + "]}"))).executionId();
  }

  @Test
  void theRateLimitSpacesDispatches() {
    try (TestNode node = TestNode.builder().roles("orchestrator").config("gantry.queue.rate-limit = 4").build()
        .start()) {
      ProbeWorker w = ProbeWorker.register(node, "fast", 100);
      for (int i = 0; i < 10; i++) {
        submit(node, "{\"id\": \"j" + i + "\", \"type\": \"noop\"}");
      }
      long start = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        w.nextJob();
      }
      long ms = (System.nanoTime() - start) / 1_000_000;
      // 4 per second with a burst of 4: the last of 10 cannot come before about 1.5 s.
      assertTrue(ms >= 1200, "10 jobs at 4/s were dispatched in " + ms + " ms");
    }
  }

  @Test
  void anOldLowPriorityJobClimbsPastNewerUrgentOnes() throws Exception {
    try (TestNode node = TestNode.builder().roles("orchestrator").config("gantry.queue.aging = 100ms").build()
        .start()) {
      ProbeWorker w = ProbeWorker.register(node, "one-slot", 1);
      submit(node, "{\"id\": \"blocker\", \"type\": \"noop\"}");
      var blocker = w.nextJob();
      submit(node, "{\"id\": \"old-low\", \"type\": \"noop\", \"priority\": 1}");
      Thread.sleep(1500); // 15 aging steps: priority 1 has climbed to the top (10)
      submit(node, "{\"id\": \"new-high\", \"type\": \"noop\", \"priority\": 9}");
      w.expectNoJob(Duration.ofMillis(200));
      w.finish(blocker, true);
      assertEquals("old-low", w.nextJob().jobId(), "the job that waited longest goes first once it has aged");
    }
  }
}
