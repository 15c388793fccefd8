package io.gantry.execution;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.persistence.redis.RedisServerProcess;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis killed while attempts run and restarted (same AOF) a few seconds later: the running attempts keep running,
 * their results are recorded once Redis is back, nothing runs twice, and every execution completes.
 */
@Tag("slow")
class RedisRestartTest {

  @Test
  void aRedisRestartCostsNoWorkAndFailsNothing() throws Exception {
    Path dir = Files.createTempDirectory("gantry-redis-restart");
    try (RedisServerProcess redis = new RedisServerProcess(dir)) {
      redis.start();
      String url = redis.url();
      try (TestNode node = TestNode.start(String.join("\n",
          "gantry.redis.url = \"" + url + "\"",
          "gantry.persistence.redis.journal.connection.url = \"" + url + "\"",
          "gantry.persistence.redis.snapshot.connection.url = \"" + url + "\"",
          "gantry.persistence.redis.query.connection.url = \"" + url + "\""))) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          ids.add(Await.result(node.gantry().submit(DagParser.parse("""
              {"workflowId": "redis-restart", "jobs": [
                {"id": "a", "type": "sleep", "config": {"ms": 1500}},
                {"id": "b", "type": "noop", "dependsOn": ["a"]}
              ]}"""))).executionId());
        }
        Thread.sleep(500);
        redis.kill();
        Thread.sleep(3000);
        redis.start();

        for (String id : ids) {
          ExecutionState done = Await.until(() -> Await.result(node.gantry().status(id)),
              s -> s.status().finished(), Duration.ofSeconds(60), id + " to finish after the Redis restart");
          assertEquals(ExecutionStatus.COMPLETED, done.status(), id + ": " + done);
          assertEquals(1, done.jobs().get("a").attempts(), id + ": a ran once, its result recorded late: " + done);
          assertEquals(JobStatus.COMPLETED, done.jobs().get("b").status(), id + ": " + done);
        }
      }
    }
  }
}
