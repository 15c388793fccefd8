package io.gantry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.client.SharedRedisClient;
import io.gantry.security.HttpsApiTest.Cli;
import io.gantry.testkit.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Gantry on a Redis that speaks TLS only and wants a password (Debian's redis-server with --tls-port and
 * --requirepass, certificates made by the test): a node with gantry.redis.password and gantry.redis.ca-file runs a
 * DAG whose state lands in that Redis; the password in the URL works too; `gantry node` with a wrong password or
 * without the CA stops at start (exit 2) naming the setting to fix, the password never echoed.
 */
class RedisTlsTest {
  static final Path DIR = Path.of("target", "tls-redis-" + UUID.randomUUID()).toAbsolutePath();
  static final String PASSWORD = "redis-" + UUID.randomUUID();
  static TestCertificates ca;
  static TlsRedisServer redis;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.authority(DIR, "redis-test");
    redis = new TlsRedisServer(DIR.resolve("redis"), ca, ca.issue("redis-server"), PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    if (redis != null) {
      redis.close();
    }
    TestCertificates.delete(DIR);
  }

  @Test
  void aNodeOnTlsRedisWithAPasswordRunsADag() throws Exception {
    StringBuilder settings = new StringBuilder();
    for (String path : List.of("gantry.redis", "gantry.persistence.redis.journal.connection",
        "gantry.persistence.redis.snapshot.connection", "gantry.persistence.redis.query.connection")) {
      settings.append(path).append(".password = \"").append(PASSWORD).append("\"\n")
          .append(path).append(".ca-file = \"").append(ca.caCert).append("\"\n");
    }
    try (TestNode node = TestNode.builder().api().redisUrl(redis.url()).config(settings.toString()).build().start()) {
      String id = node.http().submitted("""
          {"workflowId": "redis-tls", "jobs": [
            {"id": "a", "type": "shell", "config": {"command": ["sh", "-c", "echo a"]}},
            {"id": "b", "type": "noop", "dependsOn": ["a"]}]}""");
      JsonNode status = node.http().awaitFinished(id);
      assertEquals("completed", status.path("status").asText(), status.toString());
      String keys = redis.cli("--scan", "--pattern", node.prefix() + "*");
      assertTrue(keys.lines().count() > 0, "the execution's state is in the TLS Redis: " + keys);
    }
  }

  @Test
  void thePasswordMayBeInTheUrl() throws Exception {
    String url = "rediss://:" + PASSWORD + "@127.0.0.1:" + redis.port + "/0";
    try (SharedRedisClient client = new SharedRedisClient(new ConnectionSettings(url, Duration.ofSeconds(5),
        Duration.ofSeconds(5), Duration.ofSeconds(1), "", ca.caCert.toString()))) {
      String pong = client.strings().run("PING", r -> r.ping()).toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertEquals("PONG", pong);
    }
  }

  @Test
  void aWrongPasswordStopsTheNodeAtStartNamingTheSetting() throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    Cli bad = node("""
        gantry.redis.url = "%s"
        gantry.redis.password = "%s"
        gantry.redis.ca-file = "%s"
        """.formatted(redis.url(), wrong, ca.caCert));
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("refused the password") && bad.err().contains("gantry.redis.password"),
        bad.toString());
    assertFalse(bad.err().contains(wrong), "the password is not echoed: " + bad);

    Cli none = node("""
        gantry.redis.url = "%s"
        gantry.redis.ca-file = "%s"
        """.formatted(redis.url(), ca.caCert));
    assertEquals(2, none.exit(), none.toString());
    assertTrue(none.err().contains("gantry.redis.password"), none.toString());

    Cli inUrl = node("gantry.redis.url = \"rediss://:" + wrong + "@127.0.0.1:" + redis.port + "/0\"\n"
        + "gantry.redis.ca-file = \"" + ca.caCert + "\"\n");
    assertEquals(2, inUrl.exit(), inUrl.toString());
    assertFalse(inUrl.err().contains(wrong), "the password is not echoed: " + inUrl);
  }

  @Test
  void aRedisCertificateOfAnUnknownCaStopsTheNodeAtStartNamingTheCaFile() throws Exception {
    Cli untrusted = node("""
        gantry.redis.url = "%s"
        gantry.redis.password = "%s"
        """.formatted(redis.url(), PASSWORD));
    assertEquals(2, untrusted.exit(), untrusted.toString());
    assertTrue(untrusted.err().contains("gantry.redis.ca-file"), untrusted.toString());
    assertFalse(untrusted.err().contains(PASSWORD), untrusted.toString());
  }

  /** {@code gantry node --config FILE} in this JVM, on free ports; it must stop before it starts anything. */
  static Cli node(String hocon) throws Exception {
    Path conf = Files.createTempFile(DIR, "node", ".conf");
    Files.writeString(conf, hocon + "gantry.http.host = \"127.0.0.1\"\ngantry.http.port = " + TestNode.freePort()
        + "\ngantry.node.port = " + TestNode.freePort() + "\n");
    long start = System.nanoTime();
    Cli run = Cli.run("node", "--config", conf.toString());
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    System.out.println("gantry node stopped after " + seconds + " s with " + run.exit() + ": " + run.err().trim());
    assertTrue(seconds < 15, "stopped at once, not after retrying: " + seconds + " s");
    return run;
  }
}
