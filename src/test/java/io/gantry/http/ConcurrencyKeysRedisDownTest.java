package io.gantry.http;

import static io.gantry.http.SharedQueueStateTest.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.persistence.redis.RedisServerProcess;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * While Redis is down no job with a concurrency key starts (its key's lock cannot be granted), and the one already
 * running goes on; once Redis is back (restarted from its AOF) the waiting job starts and both complete once each.
 * Redis is a redis-server of this test's own, killed with SIGKILL.
 */
class ConcurrencyKeysRedisDownTest {

  @Test
  void noKeyedJobStartsWhileRedisIsDownAndTheRunningOneGoesOn() throws Exception {
    try (RedisServerProcess redis = new RedisServerProcess(Files.createTempDirectory("gantry-ckey-redis"))) {
      redis.start();
      String url = redis.url();
      try (TestNode node = apiNode("""
          gantry.redis.url = "%s"
          gantry.persistence.redis.journal.connection.url = "%s"
          gantry.persistence.redis.snapshot.connection.url = "%s"
          gantry.persistence.redis.query.connection.url = "%s"
          """.formatted(url, url, url, url))) {
        TestHttpClient api = node.http();
        register(api, "hw-r", "pool-r", "[]");
        String ex1 = submit(api, "j1", "pool-r", keyed("down-1"));
        JsonNode got = Await.until(() -> poll(api, "hw-r", 2000), j -> j.size() == 1, Duration.ofSeconds(15), "j1");
        String attempt1 = got.get(0).get("attemptId").asText();
        String running = "[\"" + attempt1 + "\"]";
        assertEquals(200, api.post("/workers/hw-r/heartbeat", "{\"runningAttempts\": " + running + "}").status());
        String ex2 = submit(api, "j2", "pool-r", keyed("down-2"));

        redis.kill();
        // The worker has a free slot and asks; j2's key cannot be granted, so j2 does not start.
        long until = System.currentTimeMillis() + 6_000;
        while (System.currentTimeMillis() < until) {
          TestHttpClient.Answer polled = api.post("/workers/hw-r/poll", "{\"max\": 1, \"waitMs\": 1000}");
          if (polled.status() == 200) {
            assertEquals(0, polled.json().size(), "no keyed job starts while Redis is down: " + polled.body());
          }
          api.post("/workers/hw-r/heartbeat", "{\"runningAttempts\": " + running + "}");
        }
        redis.start();

        JsonNode second = Await.until(() -> {
          api.post("/workers/hw-r/heartbeat", "{\"runningAttempts\": " + running + "}");
          TestHttpClient.Answer a = api.post("/workers/hw-r/poll", "{\"max\": 1, \"waitMs\": 1000}");
          return a.status() == 200 ? a.json() : null;
        }, j -> j != null && j.size() == 1, Duration.ofSeconds(30), "j2 once Redis is back");
        assertEquals("j2", second.get(0).get("jobId").asText());
        Await.until(() -> api.post("/workers/hw-r/jobs/" + attempt1 + "/complete",
            "{\"success\": true, \"output\": {}}").status(), s -> s == 200, Duration.ofSeconds(30), "j1 recorded");
        complete(api, "hw-r", second.get(0).get("attemptId").asText());
        String[][] jobs = {{ex1, "j1"}, {ex2, "j2"}};
        for (String[] job : jobs) {
          JsonNode s = Await.until(() -> api.get("/execute/" + job[0] + "/status").json(),
              j -> j.path("status").asText().equals("completed"), Duration.ofSeconds(30), job[0] + " completed");
          assertEquals(1, s.at("/jobs/" + job[1] + "/attempts").asInt(-1), s::toString);
        }
      }
    }
  }
}
