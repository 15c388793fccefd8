package io.gantry.persistence.redis.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.persistence.redis.RedisServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Commands issued before the connection is up wait in issue order and all go out once it is: tens of
 * thousands of them must neither overflow a stack nor break the connection (observation 9 of issue 7).
 */
@Tag("slow")
class SharedRedisConnectionTest {
  private static final int COMMANDS = 20_000;

  @Test
  void commandsIssuedWhileConnectingAllCompleteInIssueOrder() throws Exception {
    Path dir = Files.createTempDirectory("gantry-redis-late");
    try (RedisServerProcess redis = new RedisServerProcess(dir)) {
      SharedRedisClient client =
          new SharedRedisClient(
              new ConnectionSettings(redis.url(), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(1)));
      SharedRedisConnection<byte[]> connection = client.bytes();
      try {
        // Nothing listens yet: the first connect fails, fast and naming the address.
        ExecutionException refused =
            org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class,
                () -> connection.run("PING", r -> r.ping()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().contains("127.0.0.1:" + redis.port()), refused.getCause().getMessage());

        // A server that accepts the connection but answers nothing yet: the next connect stays under way.
        redis.start();
        redis.pause();
        List<CompletableFuture<Long>> pushes = new ArrayList<>(COMMANDS);
        for (int i = 0; i < COMMANDS; i++) {
          byte[] value = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
          pushes.add(connection.run("RPUSH " + i, r -> r.rpush("order", value)).toCompletableFuture());
        }
        Thread.sleep(500);
        assertFalse(pushes.get(0).isDone(), "nothing can be answered while the server is stopped");

        redis.resume();
        CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (int i = 0; i < COMMANDS; i++) {
          // RPUSH answers the list's length: the i-th command issued was the i-th to reach Redis.
          assertEquals(i + 1, pushes.get(i).getNow(-1L), "answer of command " + i);
        }
        List<byte[]> stored =
            connection.run("LRANGE", r -> r.lrange("order", 0, -1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(COMMANDS, stored.size());
        for (int i = 0; i < COMMANDS; i++) {
          assertEquals(Integer.toString(i), new String(stored.get(i), StandardCharsets.US_ASCII), "element " + i);
        }
        // The connection still works for new callers.
        assertEquals("PONG", connection.run("PING", r -> r.ping()).toCompletableFuture().get(10, TimeUnit.SECONDS));
      } finally {
        client.close();
      }
    }
  }
}
