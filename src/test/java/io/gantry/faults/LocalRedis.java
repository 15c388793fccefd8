package io.gantry.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A redis-server (or redis-sentinel) of the test's own on a free port, bound to loopback and any extra addresses
 * (the root side of a namespace link). SIGKILL is the fault; nothing here touches the shared dev Redis.
 */
final class LocalRedis implements AutoCloseable {
  final int port;
  final Path dir;
  private final List<String> args;
  private Process process;

  private LocalRedis(Path dir, int port, List<String> args) {
    this.dir = dir;
    this.port = port;
    this.args = args;
  }

  /** A data server with AOF (fsync always), bound to 127.0.0.1 and {@code extraBinds}. */
  static LocalRedis server(Path dir, List<String> extraBinds, String... moreArgs) throws IOException {
    Files.createDirectories(dir);
    int port = io.gantry.testkit.TestNode.freePort();
    List<String> args = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", String.join(" ", bindList(extraBinds)), "--save", "", "--appendonly", "yes",
        "--appendfsync", "always", "--maxmemory-policy", "noeviction", "--dir", dir.toString(),
        "--protected-mode", "no"));
    args.addAll(List.of(moreArgs));
    return new LocalRedis(dir, port, args);
  }

  /** A sentinel watching {@code master} at 127.0.0.1:{@code masterPort} with a quorum of 2 and a 1 s down-after. */
  static LocalRedis sentinel(Path dir, String master, int masterPort) throws IOException {
    Files.createDirectories(dir);
    int port = io.gantry.testkit.TestNode.freePort();
    Path conf = dir.resolve("sentinel.conf");
    Files.writeString(conf, String.join("\n",
        "port " + port,
        "bind 127.0.0.1",
        "dir " + dir,
        "sentinel monitor " + master + " 127.0.0.1 " + masterPort + " 2",
        "sentinel down-after-milliseconds " + master + " 1000",
        "sentinel failover-timeout " + master + " 10000",
        "sentinel parallel-syncs " + master + " 1", ""));
    return new LocalRedis(dir, port, List.of("redis-server", conf.toString(), "--sentinel"));
  }

  private static List<String> bindList(List<String> extra) {
    List<String> all = new ArrayList<>(List.of("127.0.0.1"));
    all.addAll(extra);
    return all;
  }

  LocalRedis start() throws Exception {
    process = new ProcessBuilder(args).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis-" + port + ".log").toFile())).start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return this;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("redis on port " + port + " did not start; see " + dir);
  }

  String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Runs redis-cli against this server and answers its output. */
  String cli(String... command) throws Exception {
    List<String> c = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    c.addAll(List.of(command));
    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    return out;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: a crash, not a clean shutdown. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  @Override
  public void close() throws Exception {
    kill();
  }
}
