package io.gantry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.Await;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestRedisUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two node JVMs forming a cluster over Pekko Artery's tls-tcp transport with mutual TLS (keystores and truststore
 * made by the test): an orchestrator+api node and a worker node (its TLS settings from GANTRY_NODE_TLS_*
 * environment variables) run a job across them. A third node whose certificate another CA signed, trusting only
 * that CA, cannot join: both sides log the refusal within seconds, and the cluster never lists its worker.
 */
@Tag("slow")
class ClusterTlsTest {
  static final Path DIR = Path.of("target", "tls-cluster-" + UUID.randomUUID()).toAbsolutePath();
  static final String PREFIX = RedisPrefix.random("ClusterTlsTest");
  static NodeJvm orchestrator;
  static NodeJvm worker;
  static TestCertificates clusterCa;

  @BeforeAll
  static void start() throws Exception {
    TestCertificates ca = clusterCa = TestCertificates.authority(DIR.resolve("certs"), "cluster");
    TestCertificates.Leaf n1 = ca.issue("n1");
    TestCertificates.Leaf n2 = ca.issue("n2");
    orchestrator = NodeJvm.Spec.of(DIR, "n1", PREFIX).roles("orchestrator", "api")
        .config(tlsHocon(n1.keystore(), ca.truststore())).build();
    worker = NodeJvm.Spec.of(DIR, "n2", PREFIX).roles("worker").worker("tls-w2", 2)
        .seeds(List.of(orchestrator.clusterAddress))
        .env("GANTRY_NODE_TLS_KEYSTORE", n2.keystore().toString())
        .env("GANTRY_NODE_TLS_KEYSTORE_PASSWORD", TestCertificates.PASSWORD)
        .env("GANTRY_NODE_TLS_TRUSTSTORE", ca.truststore().toString())
        .env("GANTRY_NODE_TLS_TRUSTSTORE_PASSWORD", TestCertificates.PASSWORD)
        .build();
    orchestrator.launch();
    worker.launch();
    orchestrator.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeJvm node : new NodeJvm[] {worker, orchestrator}) {
      if (node != null) {
        node.close();
      }
    }
    RedisPrefix.deleteKeys(TestRedisUrl.get(), PREFIX);
  }

  static String tlsHocon(Path keystore, Path truststore) {
    return """
        gantry.node.tls.keystore = "%s"
        gantry.node.tls.keystore-password = "%s"
        gantry.node.tls.truststore = "%s"
        gantry.node.tls.truststore-password = "%s"
        """.formatted(keystore, TestCertificates.PASSWORD, truststore, TestCertificates.PASSWORD);
  }

  @Test
  void nodesWithCertificatesOfTheClusterCaRunAJobAcrossThem() throws Exception {
    assertTrue(orchestrator.logHas("node started", "over tls-tcp"), "TLS remoting: " + orchestrator.tail());
    Await.until(() -> logHas(worker, "node started", "over tls-tcp"), seen -> seen, Duration.ofSeconds(60),
        "the worker node to start over tls-tcp");
    // The cluster port speaks TLS with the node's certificate (openssl as a client; it has no certificate of
    // its own, so the node then ends the handshake: mutual authentication).
    Process probe = new ProcessBuilder("openssl", "s_client", "-connect", orchestrator.clusterAddress, "-CAfile",
        clusterCa.caCert.toString(), "-verify_return_error").redirectErrorStream(true).start();
    probe.getOutputStream().close();
    assertTrue(probe.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "openssl s_client finished");
    String handshake = new String(probe.getInputStream().readAllBytes());
    System.out.println("ClusterTlsTest: openssl s_client to the cluster port:\n" + handshake);
    assertTrue(handshake.contains("CN = n1") || handshake.contains("CN=n1"), handshake);
    assertTrue(handshake.contains("Verify return code: 0 (ok)"), handshake);
    var submitted = orchestrator.post("/execute/distributed", """
        {"workflowId": "cluster-tls", "jobs": [
          {"id": "remote", "type": "shell", "config": {"command": ["sh", "-c", "echo across-tls"]}}]}""");
    assertEquals(202, submitted.statusCode(), submitted.body());
    String id = TestHttpClient.JSON.readTree(submitted.body()).path("executionId").asText();
    JsonNode status = orchestrator.http().awaitFinished(id);
    assertEquals("completed", status.path("status").asText(), status.toString());
    assertEquals("tls-w2", status.path("jobResults").path("remote").path("workerId").asText(),
        "the job ran on the other JVM, reached over TLS: " + status);
  }

  /**
   * Two outsiders at once: one trusts only its own CA (so it refuses the seed), one trusts the cluster's CA (its
   * certificate is public) but holds a key another CA signed (so the seed refuses it).
   */
  @Test
  void nodesWithoutACertificateOfTheClusterCaCannotJoin() throws Exception {
    TestCertificates rogueCa = TestCertificates.authority(DIR.resolve("rogue-certs"), "rogue");
    try (NodeJvm distrusting = outsider("n3", "rogue-w3", rogueCa.issue("n3").keystore(), rogueCa.truststore());
        NodeJvm impostor = outsider("n4", "rogue-w4", rogueCa.issue("n4").keystore(), clusterCa.truststore())) {
      long start = System.nanoTime();
      distrusting.launch();
      impostor.launch();
      Await.until(() -> logHas(distrusting, "cluster TLS: refused the node at", "CN=n1"), seen -> seen,
          Duration.ofSeconds(60), "the node trusting another CA to log why it cannot reach the seed");
      Await.until(() -> logHas(orchestrator, "cluster TLS: refused the connecting node", "CN=n4"), seen -> seen,
          Duration.ofSeconds(60), "the seed to log its refusal of the impostor");
      System.out.println("ClusterTlsTest: both refusals logged " + Duration.ofNanos(System.nanoTime() - start)
          .toSeconds() + " s after the outsiders' JVMs started:\n" + distrusting.logLines(1, "cluster TLS: refused")
          + orchestrator.logLines(1, "cluster TLS: refused"));
      Thread.sleep(3_000);  // a join that got through would show its worker by now
      String workers = orchestrator.http().get("/workers/list").body();
      assertTrue(workers.contains("tls-w2"), workers);
      assertFalse(workers.contains("rogue-w3") || workers.contains("rogue-w4"), "outsiders are not members: "
          + workers);
      assertEquals(200, orchestrator.get("/health/ready").statusCode(), "the cluster is unaffected");
    }
  }

  static NodeJvm outsider(String name, String workerId, Path keystore, Path truststore) throws Exception {
    return NodeJvm.Spec.of(DIR, name, PREFIX).roles("worker").worker(workerId, 1).heap("256m")
        .seeds(List.of(orchestrator.clusterAddress)).config(tlsHocon(keystore, truststore)).build();
  }

  static boolean logHas(NodeJvm node, String... needles) {
    try {
      return node.logHas(needles);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
