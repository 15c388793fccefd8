package io.gantry.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.testkit.NodeJvm;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestNode;
import io.gantry.testkit.TestRedisUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A Gantry cluster of separate JVMs on one Redis under a key prefix of its own: every node lists every node as a
 * seed (as {@code bin/gantry cluster} does), each has the roles it is given and the default timings of
 * reference.conf. Nodes are started in the order given; the first one must have the api role.
 */
public final class ClusterProcesses implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final String prefix = RedisPrefix.random("cluster");
  final Map<String, NodeJvm> nodes = new LinkedHashMap<>();

  /** {@code roles}: node name to its roles, e.g. {@code "w1" -> "orchestrator,worker"}. */
  ClusterProcesses(Path dir, Map<String, String> roles, int slotsPerWorker) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    roles.keySet().forEach(n -> ports.put(n, TestNode.freePort()));
    List<String> seeds = ports.values().stream().map(p -> "127.0.0.1:" + p).toList();
    for (var e : roles.entrySet()) {
      String name = e.getKey();
      nodes.put(name, NodeJvm.Spec.of(dir, name, prefix).roles(e.getValue().split(","))
          .cluster("127.0.0.1", ports.get(name)).seeds(seeds).worker(name, slotsPerWorker).heap("256m")
          .postTimeout(Duration.ofSeconds(20)).build());
    }
  }

  NodeJvm node(String name) {
    return nodes.get(name);
  }

  /** Starts every node and waits until each worker node's worker is registered (seen through the api node). */
  void startAll() throws Exception {
    for (NodeJvm n : nodes.values()) {
      n.start();
    }
    for (NodeJvm n : nodes.values()) {
      if (n.roles.contains("worker")) {
        awaitWorker(n, Duration.ofSeconds(90));
      }
    }
  }

  NodeJvm api() {
    return nodes.values().stream().filter(n -> n.hasApi() && n.isAlive()).findFirst()
        .orElseThrow(() -> new IllegalStateException("no api node is running"));
  }

  /**
   * Waits until the node's worker is registered by its current process (the pid tells a restarted node from the
   * registration its killed predecessor left) and is neither offline nor unhealthy.
   */
  void awaitWorker(NodeJvm node, Duration timeout) throws Exception {
    await(timeout, "worker " + node.name + " registered", () -> {
      for (JsonNode w : JSON.readTree(api().get("/workers/list").body())) {
        if (w.get("workerId").asText().equals(node.name) && w.get("pid").asLong() == node.pid()) {
          String status = w.get("status").asText();
          return !status.equals("offline") && !status.equals("unhealthy");
        }
      }
      return false;
    });
  }

  /** Submits a DAG document; answers its execution id. */
  String submit(String dag) throws Exception {
    var answer = api().post("/execute/distributed", dag);
    if (answer.statusCode() != 202) {
      throw new AssertionError("submit answered " + answer.statusCode() + ": " + answer.body());
    }
    return JSON.readTree(answer.body()).get("executionId").asText();
  }

  /** Submits DAG documents one by one; answers their execution ids. */
  List<String> submitAll(List<String> dags) throws Exception {
    List<String> ids = new ArrayList<>();
    for (String dag : dags) {
      ids.add(submit(dag));
    }
    return ids;
  }

  JsonNode status(String executionId) throws Exception {
    return JSON.readTree(api().get("/execute/" + executionId + "/status").body());
  }

  /** The names of the events of a finished execution, replayed by GET /execute/{id}/events. */
  List<JsonNode> events(String executionId) throws Exception {
    String body = api().get("/execute/" + executionId + "/events").body();
    List<JsonNode> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5).trim());
        }
      }
      if (event != null && data.length() > 0) {
        events.add(JSON.createObjectNode().put("event", event).set("data", JSON.readTree(data.toString())));
      }
    }
    if (events.isEmpty()) {
      throw new AssertionError("no events for " + executionId + ": " + body);
    }
    return events;
  }

  /** Waits until every execution has a final status; answers the last states. */
  Map<String, JsonNode> awaitFinished(List<String> ids, Duration timeout) throws Exception {
    Map<String, JsonNode> finished = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished.size() < ids.size()) {
      for (String id : ids) {
        if (!finished.containsKey(id)) {
          try {
            JsonNode s = status(id);
            if (s.has("status") && List.of("completed", "failed", "cancelled").contains(s.get("status").asText())) {
              finished.put(id, s);
            }
          } catch (IOException e) {
            // the api node is busy; ask again
          }
        }
      }
      if (finished.size() < ids.size()) {
        if (System.nanoTime() > deadline) {
          List<String> open = ids.stream().filter(id -> !finished.containsKey(id)).toList();
          throw new AssertionError(open.size() + " execution(s) not finished after " + timeout + ", e.g. "
              + open.get(0) + ": " + status(open.get(0)));
        }
        Thread.sleep(500);
      }
    }
    return finished;
  }

  static void await(Duration timeout, String what, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (check.ok()) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what
        + (last != null ? " (last error: " + last + ")" : ""));
  }

  interface Check {
    boolean ok() throws Exception;
  }

  /** Lines of every node's log that match. */
  List<String> logLines(Predicate<String> match) throws IOException {
    return logLines(match, Map.of());
  }

  /** How long each node's log is now, to look only at what follows with {@link #logLines(Predicate, Map)}. */
  Map<String, Integer> logMarks() throws IOException {
    Map<String, Integer> marks = new HashMap<>();
    for (NodeJvm n : nodes.values()) {
      marks.put(n.name, n.logText().length());
    }
    return marks;
  }

  List<String> logLines(Predicate<String> match, Map<String, Integer> since) throws IOException {
    List<String> lines = new ArrayList<>();
    for (NodeJvm n : nodes.values()) {
      String text = n.logText();
      text.substring(Math.min(text.length(), since.getOrDefault(n.name, 0))).lines().filter(match)
          .forEach(l -> lines.add(n.name + ": " + l));
    }
    return lines;
  }

  /**
   * Stops every node, keeps its log under target/cluster-logs/PREFIX/ for reading after the test and deletes the
   * cluster's keys.
   */
  @Override
  public void close() throws Exception {
    Path keep = Path.of("target", "cluster-logs", prefix.replace(":", ""));
    Files.createDirectories(keep);
    for (NodeJvm n : nodes.values()) {
      n.close();
      if (Files.exists(n.log)) {
        Files.copy(n.log, keep.resolve(n.name + ".log"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    RedisPrefix.deleteKeys(TestRedisUrl.get(), prefix);
  }
}
