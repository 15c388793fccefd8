package io.gantry.security;

import io.gantry.testkit.TestNode;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server of the test's own, TLS only ({@code --port 0 --tls-port}) with the given certificate and a
 * {@code requirepass}; clients need no certificate of their own ({@code --tls-auth-clients no}).
 */
final class TlsRedisServer implements AutoCloseable {
  final int port = TestNode.freePort();
  final String password;
  private final Path dir;
  private final TestCertificates ca;
  private final Process process;

  TlsRedisServer(Path dir, TestCertificates ca, TestCertificates.Leaf cert, String password) throws Exception {
    this.dir = dir;
    this.ca = ca;
    this.password = password;
    Files.createDirectories(dir);
    process = new ProcessBuilder("redis-server", "--port", "0", "--tls-port", Integer.toString(port),
        "--bind", "127.0.0.1", "--tls-cert-file", cert.cert().toString(), "--tls-key-file", cert.key().toString(),
        "--tls-ca-cert-file", ca.caCert.toString(), "--tls-auth-clients", "no", "--requirepass", password,
        "--save", "", "--appendonly", "no", "--dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
      }
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis-server did not listen on " + port + ": "
        + Files.readString(dir.resolve("redis.log")));
  }

  /** {@code rediss://127.0.0.1:PORT/0}, no password in it. */
  String url() {
    return "rediss://127.0.0.1:" + port + "/0";
  }

  /** A command through Debian's redis-cli over TLS, with the password; its output. */
  String cli(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("redis-cli", "--tls", "--cacert", ca.caCert.toString(),
        "-h", "127.0.0.1", "-p", Integer.toString(port), "--no-auth-warning", "-a", password));
    args.addAll(List.of(command));
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-cli did not answer");
    }
    return new String(p.getInputStream().readAllBytes()).trim();
  }

  @Override
  public void close() throws Exception {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
