package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * /health/* when things are missing, on a node with auth on, no worker role and a Redis of its own (a redis-server
 * started here on port 6389, so the test can stop it): no live workers, a stopped Redis (503 from the lock API),
 * then Redis down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthWhenDownTest {
  static final int REDIS_PORT = 6389;
  static final String TOKEN = "s3cret-token";
  static Process redis;
  static TestNode node;
  static TestHttpClient api;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(onPath("redis-server"), "redis-server is not installed");
    redis = startRedis();
    String url = "redis://127.0.0.1:" + REDIS_PORT + "/0";
    node = TestNode.builder().roles("orchestrator").api().token(TOKEN).redisUrl(url)
        // Gantry's own keys (the lock API) give up on a stopped Redis after this.
        .config("gantry.redis.command-timeout = 1s").build().start();
    api = node.http();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (redis != null) {
      redis.destroy();
      redis.waitFor();
    }
  }

  @Test
  @Order(1)
  void liveAndReadyNeedNoTokenTheOthersDo() {
    assertEquals(200, api.send("GET", "/health/live", null, null).status());
    assertEquals(200, api.send("GET", "/health/ready", null, null).status());
    TestHttpClient.Answer state = api.send("GET", "/health/state", null, null);
    assertEquals(401, state.status(), state.body());
    assertEquals("UNAUTHORIZED", state.errorCode());
    assertEquals(401, api.send("GET", "/health/workers", null, "wrong").status());
    assertEquals(401, api.send("GET", "/metrics", null, null).status());
    assertEquals(200, api.get("/metrics").status());
    assertEquals(200, api.get("/health/state").status());
  }

  @Test
  @Order(2)
  void workersAreDownWithoutLiveWorkersAndUpWithOne() {
    TestHttpClient.Answer none = api.get("/health/workers");
    assertEquals(503, none.status(), none.body());
    assertEquals("DOWN", none.json().get("status").asText());
    assertEquals("no live workers", none.json().get("reason").asText());

    TestHttpClient.Answer registered = api.post("/workers/register", "{\"workerId\": \"lonely\"}");
    assertEquals(201, registered.status(), registered.body());
    assertEquals(200, api.get("/health/workers").status());
    assertEquals(200, api.delete("/workers/lonely").status());
    assertEquals(503, api.get("/health/workers").status());
  }

  @Test
  @Order(3)
  void aRequestToAStoppedRedisAnswers503NotAnInternalError() throws Exception {
    assertEquals(200, api.post("/locks/when-down", "{\"owner\": \"me\", \"ttlMs\": 5000}").status());
    signal("STOP");
    try {
      TestHttpClient.Answer stopped = api.post("/locks/when-down-2", "{\"owner\": \"me\", \"ttlMs\": 5000}");
      assertEquals(503, stopped.status(), stopped.body());
      assertEquals("REDIS_UNAVAILABLE", stopped.errorCode(), stopped.body());
    } finally {
      signal("CONT");
    }
    Await.until(() -> api.post("/locks/when-down-3", "{\"owner\": \"me\", \"ttlMs\": 5000}"),
        a -> a.status() == 200, Duration.ofSeconds(20), "the lock API to answer again");
  }

  private static void signal(String name) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + name, Long.toString(redis.pid())).start().waitFor());
  }

  @Test
  @Order(4)
  void readyAndStateGoDownNamingRedisWhenItStopsAndComeBack() throws Exception {
    redis.destroy();
    redis.waitFor();
    TestHttpClient.Answer ready = Await.until(() -> api.get("/health/ready"), a -> a.status() == 503,
        Duration.ofSeconds(10), "ready to go DOWN");
    assertEquals("DOWN", ready.json().get("status").asText());
    assertTrue(ready.json().get("reason").asText().contains("127.0.0.1:" + REDIS_PORT), ready.body());
    TestHttpClient.Answer state = api.get("/health/state");
    assertEquals(503, state.status(), state.body());
    assertTrue(state.json().get("reason").asText().contains("127.0.0.1:" + REDIS_PORT), state.body());
    assertFalse(state.body().contains("Exception"), state.body());
    assertEquals(200, api.get("/health/live").status());

    redis = startRedis();
    Await.until(() -> api.get("/health/ready"), a -> a.status() == 200, Duration.ofSeconds(20),
        "ready to come back UP");
  }

  private static Process startRedis() throws IOException {
    Process p = new ProcessBuilder("redis-server", "--port", String.valueOf(REDIS_PORT), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Await.until(() -> {
      try (var socket = new java.net.Socket("127.0.0.1", REDIS_PORT)) {
        return true;
      } catch (IOException e) {
        return false;
      }
    }, ok -> ok, Duration.ofSeconds(10), "redis-server on port " + REDIS_PORT);
    return p;
  }

  static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
