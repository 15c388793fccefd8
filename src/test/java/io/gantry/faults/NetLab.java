package io.gantry.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Network namespaces for partition tests (we are root; iproute2). Node i lives in namespace {@code <p>n<i>} with two
 * links: a veth into the cluster bridge (10.S.1.i/24, Pekko's traffic) and a veth into the Redis bridge
 * (10.S.2.i/24, Redis and HTTP). The root namespace holds both bridges and 10.S.2.254 on the Redis one, so the test
 * JVM reaches each node's HTTP API and the nodes reach the test's redis-server. IP forwarding stays off, so cutting
 * a node's cluster veth cuts exactly its cluster traffic. Every name carries a random prefix; {@link #close}
 * removes them all.
 */
final class NetLab implements AutoCloseable {
  final String prefix;
  final int subnet;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> bridges = new ArrayList<>();

  NetLab(int nodes) throws Exception {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.prefix = "gt" + Integer.toHexString(0x1000 + random.nextInt(0xefff));
    this.subnet = freeSubnet(random);
    try {
      bridge(clusterBridge(), null);
      bridge(redisBridge(), redisGateway() + "/24");
      for (int i = 1; i <= nodes; i++) {
        String ns = namespace(i);
        ip("netns", "add", ns);
        namespaces.add(ns);
        ip("-n", ns, "link", "set", "lo", "up");
        veth(ns, prefix + "c" + i, clusterBridge(), clusterAddress(i));
        veth(ns, prefix + "r" + i, redisBridge(), redisSideAddress(i));
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** A 10.S.0.0/16 that no interface of this machine uses yet. */
  private static int freeSubnet(ThreadLocalRandom random) throws Exception {
    Process p = new ProcessBuilder("ip", "-o", "addr", "show").redirectErrorStream(true).start();
    String addresses = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    for (int tries = 0; tries < 50; tries++) {
      int candidate = 200 + random.nextInt(50);
      if (!addresses.contains(" 10." + candidate + ".")) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free 10.200-249.0.0/16 subnet");
  }

  String namespace(int i) {
    return prefix + "n" + i;
  }

  /** Node i's address on the cluster link (Pekko binds here). */
  String clusterAddress(int i) {
    return "10." + subnet + ".1." + i;
  }

  /** Node i's address on the Redis link (its HTTP API binds here). */
  String redisSideAddress(int i) {
    return "10." + subnet + ".2." + i;
  }

  /** The root namespace's address on the Redis link (the test's redis-server binds here). */
  String redisGateway() {
    return "10." + subnet + ".2.254";
  }

  /** Takes node i's cluster link down; its Redis link stays up. */
  void cutCluster(int i) throws Exception {
    ip("link", "set", prefix + "c" + i, "down");
  }

  void healCluster(int i) throws Exception {
    ip("link", "set", prefix + "c" + i, "up");
  }

  private String clusterBridge() {
    return prefix + "cb";
  }

  private String redisBridge() {
    return prefix + "rb";
  }

  private void bridge(String name, String address) throws Exception {
    ip("link", "add", name, "type", "bridge");
    bridges.add(name);
    if (address != null) {
      ip("addr", "add", address, "dev", name);
    }
    ip("link", "set", name, "up");
  }

  private void veth(String ns, String rootEnd, String bridge, String address) throws Exception {
    String nsEnd = rootEnd + "p";
    ip("link", "add", rootEnd, "type", "veth", "peer", "name", nsEnd, "netns", ns);
    ip("link", "set", rootEnd, "master", bridge);
    ip("link", "set", rootEnd, "up");
    ip("-n", ns, "addr", "add", address + "/24", "dev", nsEnd);
    ip("-n", ns, "link", "set", nsEnd, "up");
  }

  private static void ip(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    run(command, true);
  }

  private static int run(List<String> command, boolean check) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int rc = p.waitFor();
    if (check && rc != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (" + rc + "): " + out);
    }
    return rc;
  }

  /** Kills what still runs in our namespaces, then deletes them (their veths go with them) and the bridges. */
  @Override
  public void close() throws Exception {
    for (String ns : namespaces) {
      Process p = new ProcessBuilder("ip", "netns", "pids", ns).redirectErrorStream(true).start();
      for (String pid : new String(p.getInputStream().readAllBytes()).split("\\s+")) {
        if (pid.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      p.waitFor();
      run(List.of("ip", "netns", "del", ns), false);
    }
    namespaces.clear();
    for (String bridge : bridges) {
      run(List.of("ip", "link", "del", bridge), false);
    }
    bridges.clear();
  }
}
