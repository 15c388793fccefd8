package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started as an operator starts it (its own JVM, bin/gantry's Main) takes tokens from its config
 * (auth-token: admin "default"), from the environment (GANTRY_TOKENS) and from a mounted file (GANTRY_TOKENS_FILE),
 * each with its role; and none of the token values, nor a wrong one presented, appears in its log.
 */
@Tag("slow")
class TokenSourcesTest {
  static final String CONFIGURED = "config-admin-3b5d7f9a1c";
  static final String FROM_ENV = "env-submit-8c0e2a4b6d";
  static final String FROM_FILE = "file-read-1f3a5c7e9b";
  static final String FROM_FILE_WORKER = "file-worker-5a7c9e1b3d";
  static final String WRONG = "wrong-token-0d2f4b6a8c";

  @TempDir
  Path dir;

  @RegisterExtension
  final RedisPrefix prefix = new RedisPrefix();

  @Test
  void tokensFromConfigEnvironmentAndFileWithTheirRolesAndNeverInTheLog() throws Exception {
    Path secrets = dir.resolve("tokens");
    Files.writeString(secrets, "# name:role:token\ndash:read:" + FROM_FILE + "\npyw:worker:" + FROM_FILE_WORKER + "\n");
    try (NodeJvm node = NodeJvm.Spec.of(dir, "node", prefix.get()).heap("512m").authToken(CONFIGURED)
        .env("GANTRY_TOKENS", "ci:submit:" + FROM_ENV).env("GANTRY_TOKENS_FILE", secrets.toString())
        .config("gantry.http.host = \"\"").build()) {
      node.start();
      TestHttpClient anyone = new TestHttpClient(node.baseUrl(), null);
      String doc = "{\"workflowId\": \"sources\", \"executionId\": \"%s\", \"jobs\": [{\"id\": \"a\", \"type\": "
          + "\"sleep\", \"config\": {\"ms\": 60000}}]}";

      assertEquals(202, anyone.send("POST", "/execute/distributed", doc.formatted("by-env"), FROM_ENV).status());
      TestHttpClient.Answer byWorker = anyone.send("POST", "/execute/distributed", doc.formatted("by-worker"),
          FROM_FILE_WORKER);
      assertEquals(403, byWorker.status(), "a worker token cannot submit: " + byWorker.body());
      assertEquals(404, anyone.send("GET", "/execute/by-worker/status", null, CONFIGURED).status(),
          "the refused submit stored nothing");
      assertEquals(200, anyone.send("GET", "/execute/by-env/status", null, FROM_FILE).status());
      TestHttpClient.Answer readerCancels = anyone.send("POST", "/execute/by-env/cancel", null, FROM_FILE);
      assertEquals(403, readerCancels.status(), readerCancels.body());
      assertEquals(401, anyone.send("POST", "/execute/by-env/cancel", null, WRONG).status());
      assertEquals(200, anyone.send("POST", "/execute/by-env/cancel", null, CONFIGURED).status());
      assertEquals(List.of("ci", "default"), List.of(
          anyone.send("GET", "/execute/by-env/audit", null, FROM_FILE).json().path("items").get(0)
              .path("by").path("name").asText(),
          anyone.send("GET", "/execute/by-env/audit", null, FROM_FILE).json().path("items").get(1)
              .path("by").path("name").asText()));

      String log = node.logText();
      assertTrue(log.contains("HTTP API tokens: default (admin), ci (submit), dash (read), pyw (worker)"), log);
      assertTrue(log.contains("HTTP API listening on 0.0.0.0:"), "with a token the API listens everywhere: " + log);
      for (String secret : List.of(CONFIGURED, FROM_ENV, FROM_FILE, FROM_FILE_WORKER, WRONG)) {
        assertFalse(log.contains(secret), "a token appears in the node's log");
      }
    }
  }
}
