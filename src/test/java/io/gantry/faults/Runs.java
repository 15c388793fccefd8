package io.gantry.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.testkit.NodeJvm;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Executions driven over HTTP for fault tests: documents with marked shell jobs, submit, wait, read states. */
final class Runs {
  static final ObjectMapper JSON = new ObjectMapper();

  private Runs() {}

  /**
   * A shell job that appends {@code start|end <execution> <job> <attempt> <pid>} to {@code marks} around a sleep, so
   * the test sees which attempts ran to their end (a stopped zombie never writes its end line).
   */
  static String shellJob(String id, List<String> dependsOn, Path marks, double seconds) {
    String line = "$GANTRY_EXECUTION_ID $GANTRY_JOB_ID $GANTRY_ATTEMPT_ID $$";
    // Short sleeps in a loop: a frozen (SIGSTOP) attempt still has its remaining work to do once thawed.
    String script = "echo \"start " + line + "\" >> " + marks + "; n=" + Math.round(seconds * 2)
        + "; while [ $n -gt 0 ]; do sleep 0.5; n=$((n-1)); done; echo \"end " + line + "\" >> " + marks;
    ObjectNode job = JSON.createObjectNode().put("id", id).put("type", "shell");
    job.putArray("dependsOn").addAll(dependsOn.stream().map(JSON.getNodeFactory()::textNode).toList());
    job.putObject("config").putArray("command").add("sh").add("-c").add(script);
    return job.toString();
  }

  static String dag(String workflowId, String executionId, String... jobs) {
    return "{\"workflowId\": \"" + workflowId + "\", \"executionId\": \"" + executionId + "\", \"jobs\": ["
        + String.join(",", jobs) + "]}";
  }

  /** Submits until the node accepts (202, or 200 for an id it already holds), within {@code within}. */
  static void submit(NodeJvm node, String document, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = node.post("/execute/distributed", document);
        if (r.statusCode() == 202 || r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(300);
    }
    throw new AssertionError(node.name + " did not accept a submit within " + within + ": " + last);
  }

  /** The execution's state, or null when the node does not answer 200. */
  static JsonNode status(NodeJvm node, String executionId) {
    try {
      HttpResponse<String> r = node.get("/execute/" + executionId + "/status");
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Waits until every execution matches {@code done}; answers the states, or lists the laggards. */
  static Map<String, JsonNode> awaitAll(NodeJvm node, List<String> ids, Predicate<JsonNode> done, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    Map<String, JsonNode> states = new LinkedHashMap<>();
    while (true) {
      List<String> pending = new ArrayList<>();
      for (String id : ids) {
        JsonNode state = states.get(id);
        if (state == null || !done.test(state)) {
          state = status(node, id);
          if (state != null) {
            states.put(id, state);
          }
          if (state == null || !done.test(state)) {
            pending.add(id);
          }
        }
      }
      if (pending.isEmpty()) {
        return states;
      }
      if (System.nanoTime() > deadline) {
        StringBuilder why = new StringBuilder();
        for (String id : pending.subList(0, Math.min(3, pending.size()))) {
          why.append('\n').append(id).append(": ").append(states.get(id));
        }
        throw new AssertionError(pending.size() + " of " + ids.size() + " executions not done within " + within + why);
      }
      Thread.sleep(500);
    }
  }

  static boolean completed(JsonNode state) {
    return "completed".equals(state.path("status").asText());
  }

  static boolean finished(JsonNode state) {
    return List.of("completed", "failed", "cancelled").contains(state.path("status").asText());
  }

  /** Whether some job of the execution is running on {@code workerId}. */
  static boolean runningOn(JsonNode state, String workerId) {
    if (state == null) {
      return false;
    }
    for (JsonNode job : state.path("jobs")) {
      if ("running".equals(job.path("status").asText()) && workerId.equals(job.path("workerId").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Lines of the marks file: each {@code [kind, execution, job, attempt, pid]}. */
  static List<String[]> marks(Path marks) throws IOException {
    if (!Files.exists(marks)) {
      return List.of();
    }
    return Files.readAllLines(marks).stream().filter(l -> !l.isBlank()).map(l -> l.trim().split(" ")).toList();
  }

  /** Kills job processes named in the marks file that still run (a zombie must not outlive the test). */
  /** Stops the nodes (null ones were never built), then the job processes they left behind (marks under {@code dir}). */
  static void stopNodes(List<NodeJvm> nodes, Path dir) throws Exception {
    for (NodeJvm node : nodes) {
      if (node != null) {
        node.close();
      }
    }
    if (dir != null) {
      killLeftovers(dir.resolve("marks"));
    }
  }

  static void killLeftovers(Path marks) throws IOException {
    for (String[] mark : marks(marks)) {
      if (mark.length == 5 && mark[4].matches("\\d+")) {
        ProcessHandle.of(Long.parseLong(mark[4]))
            .filter(p -> p.info().command().map(c -> c.endsWith("sh")).orElse(false))
            .ifPresent(p -> {
              p.descendants().forEach(ProcessHandle::destroyForcibly);
              p.destroyForcibly();
            });
      }
    }
  }

  /** Waits until {@code count} cluster workers are registered (the cluster has formed). */
  static void awaitClusterWorkers(NodeJvm node, int count, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      var r = node.get("/workers/list");
      last = r.body();
      if (r.statusCode() == 200) {
        int n = 0;
        for (JsonNode w : Runs.JSON.readTree(r.body())) {
          if ("cluster".equals(w.path("kind").asText())) {
            n++;
          }
        }
        if (n >= count) {
          return;
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError("fewer than " + count + " cluster workers registered: " + last);
  }

  /** Removes a test's directory (node logs, work dirs, Redis files); {@code -Dgantry.faults.keep=true} keeps it. */
  static void deleteTree(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir) || Boolean.getBoolean("gantry.faults.keep")) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
