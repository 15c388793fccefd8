package io.gantry.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.NodeJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Failover figures of separate node JVMs with the default configuration (docs/PERFORMANCE.md, "Failover"), run by
 * {@code bench/failover}. Each figure comes from times the executions recorded (a new attempt's start) against the
 * wall clock of the SIGKILL, so how often this process polls does not change it. One cluster serves every run of a
 * figure: only the killed node is started again.
 *
 * <p>Usage: {@code FailoverBench RUNS SCENARIOS} with SCENARIOS a subset of {@code a,b,c,d,e}.
 */
public final class FailoverBench {
  static final int JOBS = 20;
  static final long JOB_MS = 60_000;

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Set<String> scenarios = Set.of((args.length > 1 ? args[1] : "a,b,c,d,e").split(","));
    Path dir = Path.of("target", "failover-bench", String.valueOf(System.currentTimeMillis()));
    Files.createDirectories(dir);
    if (scenarios.contains("a") || scenarios.contains("d")) {
      // Worker-only nodes (the peer's shape): the api node is the only orchestrator, so it hosts every execution
      // and the pool's registry, and a killed worker node takes nothing but its attempts with it.
      try (ClusterProcesses cluster = cluster(dir.resolve("workers"), "orchestrator,api", "worker")) {
        if (scenarios.contains("a")) {
          workerNodeKills(cluster, runs, "(a) worker node SIGKILL -> its 20 jobs running elsewhere", false);
        }
        if (scenarios.contains("d")) {
          httpWorkerDeaths(cluster, runs);
        }
      }
    }
    if (scenarios.contains("b") || scenarios.contains("c") || scenarios.contains("e")) {
      // Two orchestrator,worker nodes behind an api-only node: the registry and the executions live on them.
      try (ClusterProcesses cluster = cluster(dir.resolve("orchestrators"), "api", "orchestrator,worker")) {
        if (scenarios.contains("b")) {
          workerNodeKills(cluster, runs, "(b) worker node hosting the registry SIGKILL -> its 20 jobs elsewhere", true);
        }
        if (scenarios.contains("c")) {
          orchestratorKills(cluster, runs);
        }
        if (scenarios.contains("e")) {
          falsePositivesUnderLoad(cluster, Duration.ofMinutes(3));
        }
      }
    }
  }

  static ClusterProcesses cluster(Path dir, String apiRoles, String workerRoles) throws IOException {
    Map<String, String> roles = new LinkedHashMap<>();
    roles.put("api", apiRoles);
    roles.put("w1", workerRoles);
    roles.put("w2", workerRoles);
    return new ClusterProcesses(dir, roles, JOBS);
  }

  /**
   * (a)/(b): 20 jobs of 60 s on one worker node while the other is down; the other is started and registered, then
   * the busy one gets SIGKILL. Figure: kill → the last of the 20 has an attempt started on the other node. The
   * executions are cancelled afterwards and the roles swap, so only the killed node is ever started again.
   */
  static void workerNodeKills(ClusterProcesses cluster, int runs, String figure, boolean killRegistryHost)
      throws Exception {
    String busy = "w1";
    String idle = "w2";
    ensureRunning(cluster, "api");
    ensureRunning(cluster, busy);
    if (cluster.node(idle).isAlive()) {
      cluster.node(idle).close();
    }
    List<Sample> samples = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        ids.add(cluster.submit("{\"workflowId\": \"failover-bench\", \"jobs\": [{\"id\": \"long\", \"type\": \"sleep\", "
            + "\"config\": {\"ms\": " + JOB_MS + "}}]}"));
      }
      String onBusy = busy;
      ClusterProcesses.await(Duration.ofSeconds(60), "20 jobs running on " + busy,
          () -> runningOn(cluster, ids, onBusy) == ids.size());
      ensureRunning(cluster, idle);
      Thread.sleep(2000);
      String host = registryHost(cluster);
      if (runningOn(cluster, ids, busy) != ids.size()) {
        throw new IllegalStateException("the 20 jobs are no longer all running on " + busy);
      }
      if (killRegistryHost && !busy.equals(host)) {
        System.out.println("run " + run + ": the registry moved to " + host + " when " + idle + " joined; skipped");
      } else {
        String load = loadAverage();
        long killedAt = System.currentTimeMillis();
        cluster.node(busy).kill();
        Map<String, Long> after = awaitNewAttempts(cluster, ids, "long", idle, killedAt, Duration.ofSeconds(120));
        long last = after.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long first = after.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        samples.add(new Sample(last, load));
        System.out.printf("run %d: killed %s (registry on %s): first job on %s after %d ms, last after %d ms; "
            + "load %s%n", run, busy, host, idle, first, last, load);
      }
      cancelAll(cluster, ids);
      String killed = busy;
      busy = idle;
      idle = killed;
      if (cluster.node(idle).isAlive()) { // a skipped run killed nothing
        cluster.node(idle).close();
      }
    }
    report(figure, samples);
  }

  /**
   * (c): executions whose job waits in a 3 s backoff when the orchestrator node hosting some of them gets SIGKILL
   * (the node that does not host the registry, so that this is the executions' recovery alone). The executions
   * spread over both orchestrator nodes; those on the survivor dispatch when due, those of the killed node once
   * they are recovered elsewhere. Figure: kill → the last of them has its next attempt started.
   */
  static void orchestratorKills(ClusterProcesses cluster, int runs) throws Exception {
    ensureRunning(cluster, "api");
    ensureRunning(cluster, "w1");
    ensureRunning(cluster, "w2");
    List<Sample> samples = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      String host = registryHost(cluster);
      String victim = host.equals("w1") ? "w2" : "w1";
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ids.add(cluster.submit("{\"workflowId\": \"failover-bench-backoff\", \"jobs\": [{\"id\": \"r\", "
            + "\"type\": \"fail\", \"config\": {\"times\": 1}, \"maxRetries\": 2, "
            + "\"backoff\": {\"initialMs\": 3000, \"multiplier\": 1.0, \"maxMs\": 3000}}]}"));
      }
      Map<String, Long> dueAt = new LinkedHashMap<>();
      ClusterProcesses.await(Duration.ofSeconds(30), "every job waiting in its backoff", () -> {
        for (String id : ids) {
          JsonNode job = jobDetail(cluster, id, "r");
          if (job.get("status").asText().equals("retrying") && job.hasNonNull("nextAttemptAt")) {
            dueAt.put(id, job.get("nextAttemptAt").asLong());
          }
        }
        return dueAt.size() == ids.size();
      });
      String load = loadAverage();
      long killedAt = System.currentTimeMillis();
      cluster.node(victim).kill();
      Map<String, Long> after = awaitNewAttempts(cluster, ids, "r", null, killedAt, Duration.ofSeconds(120));
      // An execution on the survivor starts its attempt when due; one of the killed node's starts late.
      List<String> late = ids.stream().filter(id -> after.get(id) + killedAt - dueAt.get(id) > 1500).toList();
      long last = after.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      long latestDue = dueAt.values().stream().mapToLong(d -> d - killedAt).max().orElseThrow();
      if (late.isEmpty()) {
        System.out.println("run " + run + ": no execution was hosted by " + victim + "; skipped");
      } else {
        samples.add(new Sample(last, load));
      }
      System.out.printf("run %d: killed %s (registry on %s): %d of %d executions were late (hosted there); all due "
          + "within %d ms of the kill; last dispatched again after %d ms; load %s%n", run, victim, host, late.size(),
          ids.size(), latestDue, last, load);
      cluster.awaitFinished(ids, Duration.ofSeconds(60));
      cluster.node(victim).start();
      cluster.awaitWorker(cluster.node(victim), Duration.ofSeconds(90));
    }
    report("(c) orchestrator node SIGKILL -> its executions dispatching again", samples);
  }

  /**
   * (d): an HTTP worker takes a job with a long poll and falls silent (no heartbeat, poll or result); a second one
   * heartbeats and polls. Figure: the first one's last contact (its poll's answer) → the second one's poll
   * answering the job.
   */
  static void httpWorkerDeaths(ClusterProcesses cluster, int runs) throws Exception {
    ensureRunning(cluster, "api");
    NodeJvm api = cluster.api();
    String registration = "{\"workerId\": \"%s\", \"hostname\": \"box\", \"pid\": 1, \"capabilities\": [\"cpu\"], "
        + "\"maxConcurrency\": 1, \"jobTypes\": [\"external\"]}";
    List<Sample> samples = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      String a = "http-a" + run;
      String b = "http-b" + run;
      check(api.post("/workers/register", registration.formatted(a)).statusCode() == 201, "register " + a);
      String id = cluster.submit("{\"workflowId\": \"failover-bench-http\", \"jobs\": [{\"id\": \"x\", "
          + "\"type\": \"external\"}]}");
      JsonNode first = ClusterProcesses.JSON.readTree(api.post("/workers/" + a + "/poll",
          "{\"max\": 1, \"waitMs\": 20000}").body());
      long silentFrom = System.currentTimeMillis();
      String load = loadAverage();
      check(first.size() == 1, a + " got no job: " + first);
      check(api.post("/workers/register", registration.formatted(b)).statusCode() == 201, "register " + b);
      JsonNode second = ClusterProcesses.JSON.createArrayNode();
      while (second.isEmpty()) {
        check(System.currentTimeMillis() - silentFrom < 90_000, "the job never reached " + b);
        api.post("/workers/" + b + "/heartbeat", "{}");
        second = ClusterProcesses.JSON.readTree(api.post("/workers/" + b + "/poll", "{\"max\": 1, \"waitMs\": 2000}")
            .body());
      }
      long moved = System.currentTimeMillis() - silentFrom;
      check(second.get(0).get("jobId").asText().equals(first.get(0).get("jobId").asText()), "another job: " + second);
      samples.add(new Sample(moved, load));
      System.out.printf("run %d: %s silent -> its job polled by %s after %d ms; load %s%n", run, a, b, moved, load);
      api.post("/workers/" + b + "/jobs/" + second.get(0).get("attemptId").asText() + "/complete",
          "{\"success\": true, \"output\": {}}");
      cluster.awaitFinished(List.of(id), Duration.ofSeconds(30));
      api.delete("/workers/" + b);
    }
    report("(d) HTTP worker silent -> its job polled by another", samples);
  }

  /**
   * (e): the 3 nodes with both cores kept busy by two busy loops (on top of whatever else runs) while one execution
   * of a 2 s job is submitted every second. Counts what the failure detection did in the nodes' logs, and the
   * attempts that ran more than once.
   */
  static void falsePositivesUnderLoad(ClusterProcesses cluster, Duration length) throws Exception {
    for (String name : List.of("api", "w1", "w2")) {
      ensureRunning(cluster, name);
    }
    Map<String, Integer> marks = cluster.logMarks();
    List<Process> loops = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      loops.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
    }
    List<String> ids = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    try {
      long end = System.nanoTime() + length.toNanos();
      long next = System.nanoTime();
      while (System.nanoTime() < end) {
        ids.add(cluster.submit("{\"workflowId\": \"failover-bench-load\", \"jobs\": [{\"id\": \"s\", "
            + "\"type\": \"sleep\", \"config\": {\"ms\": 2000}}]}"));
        if (ids.size() % 60 == 0) {
          loads.add(loadAverage());
        }
        next += 1_000_000_000L;
        Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
      }
    } finally {
      loops.forEach(Process::destroyForcibly);
    }
    Map<String, JsonNode> done = cluster.awaitFinished(ids, Duration.ofSeconds(120));
    long rerun = done.values().stream().filter(s -> s.get("jobs").get("s").get("attempts").asInt() > 1).count();
    long failed = done.values().stream().filter(s -> !s.get("status").asText().equals("completed")).count();
    int unreachable = cluster.logLines(l -> l.contains("as UNREACHABLE"), marks).size();
    int downed = cluster.logLines(l -> l.contains("SBR took decision") || l.contains("downed this node"), marks)
        .size();
    int lost = cluster.logLines(l -> l.contains(" lost ("), marks).size();
    List<String> gaps = cluster.logLines(l -> l.contains("heartbeat interval is growing too large"), marks);
    long alive = cluster.nodes.values().stream().filter(NodeJvm::isAlive).count();
    System.out.printf("FIGURE (e) false positives, both cores busy for %d s, 3 nodes, %d executions of a 2 s job: "
        + "%d unreachability event(s), %d downing decision(s), %d attempt(s) lost, %d execution(s) re-run, "
        + "%d not completed, %d heartbeat-gap warning(s), %d of 3 nodes alive; load averages %s%n",
        length.toSeconds(), ids.size(), unreachable, downed, lost, rerun, failed, gaps.size(), alive, loads);
    gaps.stream().limit(5).forEach(l -> System.out.println("  " + l));
  }

  /** ms from the kill until each execution's job had a new attempt started (on {@code onWorker} if given). */
  static Map<String, Long> awaitNewAttempts(ClusterProcesses cluster, List<String> ids, String jobId, String onWorker,
      long killedAt, Duration timeout) throws Exception {
    Map<String, Long> after = new LinkedHashMap<>();
    ClusterProcesses.await(timeout, "new attempts of " + ids.size() + " job(s)", () -> {
      for (String id : ids) {
        if (!after.containsKey(id)) {
          for (JsonNode attempt : jobDetail(cluster, id, jobId).get("attemptHistory")) {
            if (attempt.get("number").asInt() >= 2 && attempt.hasNonNull("startedAt")
                && (onWorker == null || onWorker.equals(attempt.get("workerId").asText()))) {
              after.put(id, attempt.get("startedAt").asLong() - killedAt);
              break; // the first new attempt, not a later one that replaced it
            }
          }
        }
      }
      return after.size() == ids.size();
    });
    return after;
  }

  static JsonNode jobDetail(ClusterProcesses cluster, String executionId, String jobId) throws Exception {
    var answer = cluster.api().get("/execute/" + executionId + "/jobs/" + jobId);
    if (answer.statusCode() != 200) {
      throw new IOException("job detail answered " + answer.statusCode()); // a shard moving: ask again
    }
    return ClusterProcesses.JSON.readTree(answer.body());
  }

  static int runningOn(ClusterProcesses cluster, List<String> ids, String worker) throws Exception {
    int n = 0;
    for (String id : ids) {
      JsonNode job = cluster.status(id).get("jobs").get("long");
      n += job.get("status").asText().equals("running") && worker.equals(job.get("workerId").asText()) ? 1 : 0;
    }
    return n;
  }

  static void cancelAll(ClusterProcesses cluster, List<String> ids) throws Exception {
    for (String id : ids) {
      cluster.api().post("/execute/" + id + "/cancel", "{}");
    }
    cluster.awaitFinished(ids, Duration.ofSeconds(60));
  }

  /** The node whose log last said it started the registry of pool 'default' (log lines begin HH:mm:ss.SSS). */
  static String registryHost(ClusterProcesses cluster) throws IOException {
    String host = null;
    String latest = "";
    for (NodeJvm n : cluster.nodes.values()) {
      if (!n.isAlive()) {
        continue;
      }
      for (String line : n.logText().lines().filter(l -> l.contains("worker registry of pool 'default' started"))
          .toList()) {
        if (line.compareTo(latest) > 0) {
          latest = line;
          host = n.name;
        }
      }
    }
    return host;
  }

  static void ensureRunning(ClusterProcesses cluster, String name) throws Exception {
    NodeJvm node = cluster.node(name);
    if (!node.isAlive()) {
      node.start();
      if (node.roles.contains("worker")) {
        cluster.awaitWorker(node, Duration.ofSeconds(120));
      }
    }
  }

  static String loadAverage() throws IOException {
    String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException(what);
    }
  }

  record Sample(long ms, String load) {}

  static void report(String figure, List<Sample> samples) {
    if (samples.isEmpty()) {
      System.out.println("FIGURE " + figure + ": no run counted");
      return;
    }
    List<Long> sorted = samples.stream().map(Sample::ms).sorted().toList();
    int n = sorted.size();
    double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    System.out.printf("FIGURE %s: median %.1f s [%.1f - %.1f], %d run(s); load averages (1/5/15 min) %s%n", figure,
        median / 1000, sorted.get(0) / 1000.0, sorted.get(n - 1) / 1000.0, n,
        samples.stream().map(Sample::load).toList());
  }
}
