package io.gantry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.main.Main;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A node serving its API over HTTPS from a PKCS12 keystore made by the test (openssl + keytool): HTTPS only on its
 * port, trusted by a client of the test's CA and refused by one without it; the CLI's --ca-file and the Python
 * worker library's ca_file / $GANTRY_CA_FILE against it (a DAG submitted by the CLI, a job run by a Python worker);
 * a keystore its password does not open stops `gantry node` on the command line, naming the setting.
 */
class HttpsApiTest {
  static final Path DIR = Path.of("target", "tls-https-" + UUID.randomUUID()).toAbsolutePath();
  static TestCertificates ca;
  static TestCertificates.Leaf server;
  static TestNode node;
  static int port;
  static TestHttpClient api;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCertificates.authority(DIR, "https-test");
    server = ca.issue("api-server");
    port = TestNode.freePort();
    node = TestNode.builder().roles("orchestrator", "worker", "api").config("""
        gantry.http.host = "127.0.0.1"
        gantry.http.port = %d
        gantry.http.tls.keystore = "%s"
        gantry.http.tls.keystore-password = "%s"
        """.formatted(port, server.keystore(), TestCertificates.PASSWORD)).build().start();
    api = TestHttpClient.over(ca.httpClient(), base(), null);
    Await.until(() -> api.get("/health/live").status(), s -> s == 200, Duration.ofSeconds(30), "HTTPS /health/live");
  }

  @AfterAll
  static void stop() throws IOException {
    if (node != null) {
      node.close();
    }
    TestCertificates.delete(DIR);
  }

  static String base() {
    return "https://127.0.0.1:" + port;
  }

  @Test
  void servesHttpsOnlyAndOnlyToClientsThatTrustItsCa() throws Exception {
    assertEquals(200, api.get("/health/ready").status());
    HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
        .timeout(Duration.ofSeconds(10)).build();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // Plain HTTP on the HTTPS port gets no HTTP answer at all.
    assertThrows(IOException.class, () -> client.send(plain, HttpResponse.BodyHandlers.ofString()));
    HttpRequest untrusted = HttpRequest.newBuilder(URI.create(base() + "/health/live"))
        .timeout(Duration.ofSeconds(10)).build();
    // The JDK's CAs do not include the test's: the handshake fails.
    assertThrows(SSLHandshakeException.class, () -> client.send(untrusted, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void theCliTrustsTheCaOfItsCaFile() throws Exception {
    Path dag = DIR.resolve("cli-dag.json");
    Files.writeString(dag, """
        {"workflowId": "https-cli", "jobs": [{"id": "hello", "type": "shell",
          "config": {"command": ["sh", "-c", "echo over-tls"]}}]}""");
    Cli refused = Cli.run("submit", dag.toString(), "--server", base());
    assertEquals(1, refused.exit(), refused.toString());
    assertTrue(refused.err().contains("--ca-file"), "the failure says how to trust the CA: " + refused);

    Cli submitted = Cli.run("submit", dag.toString(), "--wait", "--server", base(), "--ca-file",
        ca.caCert.toString());
    assertEquals(0, submitted.exit(), submitted.toString());
    Cli list = Cli.run("list", "--json", "--server", base(), "--ca-file", ca.caCert.toString());
    assertEquals(0, list.exit(), list.toString());
    assertTrue(list.out().contains("https-cli"), list.toString());

    Cli missing = Cli.run("list", "--server", base(), "--ca-file", DIR.resolve("no-such.pem").toString());
    assertEquals(2, missing.exit(), missing.toString());
    assertTrue(missing.err().contains("--ca-file") && missing.err().contains("no such file"), missing.toString());
  }

  @Test
  void thePythonWorkerTrustsTheCaOfItsCaFile() throws Exception {
    Path lib = Path.of("clients", "python").toAbsolutePath();
    String probe = """
        import sys
        from gantry_worker import Client, Unreachable
        print("trusted", Client(sys.argv[1], ca_file=sys.argv[2]).call("GET", "/health/live").status)
        try:
            Client(sys.argv[1]).call("GET", "/health/live")
            print("untrusted answered")
        except Unreachable as e:
            print("untrusted refused:", e)
        """;
    Process p = python(lib, List.of("-c", probe, base(), ca.caCert.toString()), null, DIR.resolve("py-probe.log"));
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = Files.readString(DIR.resolve("py-probe.log"));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("trusted 200"), out);
    assertTrue(out.contains("untrusted refused:") && out.contains("CERTIFICATE_VERIFY_FAILED")
        && out.contains("ca_file"), out);

    // The worker of PythonWorkerTest, given the CA by $GANTRY_CA_FILE only, runs a job over HTTPS.
    Path log = DIR.resolve("py-worker.log");
    Process worker = python(lib, List.of("-u", lib.resolve("tests").resolve("e2e_worker.py").toString(), base(), "",
        "py-https"), ca.caCert.toString(), log);
    try {
      String id = api.submitted("""
          {"workflowId": "https-py", "jobs": [{"id": "prepare", "type": "prepare", "config": {"rows": 3}}]}""");
      JsonNode status = Await.until(() -> api.get("/execute/" + id + "/status").json(),
          s -> s.path("status").asText().matches("completed|failed|cancelled"), Duration.ofSeconds(60),
          "the Python worker's job over HTTPS; its log: " + log);
      assertEquals("completed", status.path("status").asText(), status + "\n" + Files.readString(log));
      JsonNode prepare = status.path("jobResults").path("prepare");
      assertEquals("py-https", prepare.path("workerId").asText(), status.toString());
      assertEquals(3, prepare.path("output").path("rows").asInt(), status.toString());
    } finally {
      worker.destroy();
      if (!worker.waitFor(10, TimeUnit.SECONDS)) {
        worker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aKeystoreItsPasswordDoesNotOpenStopsTheNodeAtStart() throws Exception {
    Path conf = DIR.resolve("bad-keystore.conf");
    String wrong = "not-the-" + UUID.randomUUID();
    Files.writeString(conf, """
        gantry.http.host = "127.0.0.1"
        gantry.http.port = %d
        gantry.http.tls.keystore = "%s"
        gantry.http.tls.keystore-password = "%s"
        """.formatted(TestNode.freePort(), server.keystore(), wrong));
    Cli bad = Cli.run("node", "--config", conf.toString());
    assertEquals(2, bad.exit(), bad.toString());
    assertTrue(bad.err().contains("gantry.http.tls.keystore-password"), bad.toString());
    assertFalse(bad.err().contains(wrong), "the password is not echoed: " + bad);

    Files.writeString(conf, "gantry.node.tls.keystore = \"" + server.keystore() + "\"\n");
    Cli half = Cli.run("node", "--config", conf.toString());
    assertEquals(2, half.exit(), half.toString());
    assertTrue(half.err().contains("gantry.node.tls.truststore"), half.toString());
  }

  static Process python(Path lib, List<String> args, String caFileEnv, Path log) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of("python3"));
    command.addAll(args);
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    b.environment().put("PYTHONPATH", lib.toString());
    b.environment().remove("GANTRY_CA_FILE");
    if (caFileEnv != null) {
      b.environment().put("GANTRY_CA_FILE", caFileEnv);
    }
    return b.start();
  }

  /** {@code gantry ...} in this JVM (the client commands and {@code node}), with its output captured. */
  record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new Cli(exit, out.toString(), err.toString());
    }
  }
}
