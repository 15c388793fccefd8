package io.gantry.node;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.persistence.redis.RedisServerProcess;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node started before its Redis waits for it instead of dying, and runs a DAG once Redis is there. */
@Tag("slow")
class NodeBeforeRedisTest {

  @TempDir
  Path dir;

  @Test
  void aNodeWaitsForItsRedis() throws Exception {
    Files.createDirectories(dir.resolve("redis"));
    try (RedisServerProcess redis = new RedisServerProcess(dir.resolve("redis"));
        NodeJvm node = NodeJvm.Spec.of(dir, "node", RedisPrefix.random("NodeBeforeRedisTest"))
            .redisUrl(redis.url()).heap("512m").build()) {
      Thread startRedisLater = new Thread(() -> {
        try {
          // Redis starts only once the node has said it waits for it (a fixed delay races a slow JVM start).
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (System.nanoTime() < deadline
              && !(Files.exists(node.log) && Files.readString(node.log).contains("is not reachable"))) {
            Thread.sleep(100);
          }
          redis.start();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      startRedisLater.start();
      node.start();
      startRedisLater.join();
      assertTrue(Files.readString(node.log).contains("is not reachable"), Files.readString(node.log));
      var submitted = node.post("/execute/distributed",
          "{\"workflowId\": \"late\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}");
      assertEquals(202, submitted.statusCode(), submitted.body());
    }
  }
}
