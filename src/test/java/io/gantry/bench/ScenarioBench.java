package io.gantry.bench;

import static io.gantry.bench.BenchHttp.Clock.nowMs;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One round of one bench/run scenario against running node(s), through the public HTTP API only; prints one JSON
 * line per result in the shape of the peer's scripts (../shared/peers/bullmq/bench-*.js), so that bench/run can
 * put both side by side. Usage: {@code ScenarioBench <baseUrl> <scenario> [key=value ...]} with scenario
 * {@code warmup | throughput | latency | flows | http | scale}.
 */
public final class ScenarioBench {
  private static final long TIMEOUT_MS = 300_000;
  /** Connections of an open-loop producer: far more than the submits in flight at 1,000/s when all is well. */
  private static final int SENDERS = 32;

  private final BenchHttp http;
  private final Map<String, String> opts;

  private ScenarioBench(BenchHttp http, Map<String, String> opts) {
    this.http = http;
    this.opts = opts;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
    }
    BenchHttp http = new BenchHttp(args[0]);
    ScenarioBench bench = new ScenarioBench(http, opts);
    switch (args[1]) {
      case "warmup" -> bench.warmUp();
      case "throughput" -> System.out.println(bench.throughput());
      case "latency" -> bench.latency().forEach(System.out::println);
      case "flows" -> System.out.println(bench.flows());
      case "http" -> System.out.println(new HttpBench(http).round());
      case "scale" -> new ScaleBench(http, opts).run().forEach(System.out::println);
      default -> throw new IllegalArgumentException("unknown scenario " + args[1]);
    }
    System.exit(0);
  }

  private int opt(String name, int dflt) {
    return Integer.parseInt(opts.getOrDefault(name, String.valueOf(dflt)));
  }

  /** Enough work for the node's JIT to compile the hot paths: the figures are for a node that has been running. */
  private void warmUp() throws Exception {
    String wf = workflowId("warmup");
    int jobs = opt("jobs", 10_000);
    long baseline = completedCount();
    for (int i = 0; i < jobs; i += 1000) {
      http.postJson("/queue/jobs/bulk", bulkBody(wf, i, Math.min(1000, jobs - i)), 202);
    }
    waitCompletedCount(baseline + jobs);
    if (opts.containsKey("http")) {
      new HttpBench(http).warmUp();
    }
  }

  // ---- (1) throughput: noop jobs through POST /queue/jobs/bulk, first submit -> last completed

  private String throughput() throws Exception {
    int n = opt("jobs", 20_000);
    int chunk = opt("chunk", 1000);
    String wf = workflowId("tp");
    long baseline = completedCount();
    double t0 = nowMs();
    for (int i = 0; i < n; i += chunk) {
      http.postJson("/queue/jobs/bulk", bulkBody(wf, i, Math.min(chunk, n - i)), 202);
    }
    double tEnq = nowMs();
    double e2e = waitCompletedCount(baseline + n) - t0;
    return String.format(Locale.ROOT, "{\"bench\":\"throughput\",\"config\":\"nodes=%s conc=50 jobs=%d chunk=%d\","
        + "\"enqueue_jobs_per_s\":%.0f,\"e2e_jobs_per_s\":%.0f,\"e2e_s\":%.2f,\"per_worker_of_200\":\"%s\"}",
        opts.getOrDefault("nodes", "1"), n, chunk, n / ((tEnq - t0) / 1000), n / (e2e / 1000), e2e / 1000,
        perWorker());
  }

  /** How the newest 200 completed jobs split over the workers, as the peer's per_worker ("a+b"). */
  private String perWorker() throws Exception {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (JsonNode job : http.getJson("/queue/jobs?status=completed&limit=200").get("items")) {
      counts.merge(job.path("workerId").asText(), 1, Integer::sum);
    }
    return String.join("+", counts.values().stream().map(String::valueOf).toList());
  }

  private static String bulkBody(String wf, int from, int size) {
    StringBuilder sb = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"id\":\"j").append(from + i).append("\",\"type\":\"noop\",\"workflowId\":\"")
          .append(wf).append("\",\"config\":{\"output\":").append(from + i).append("}}");
    }
    return sb.append("]}").toString();
  }

  // ---- (2) latency: steady single submits, submit -> started and submit -> completed

  private List<String> latency() throws Exception {
    int seconds = opt("seconds", 10);
    List<String> out = new ArrayList<>();
    for (String r : opts.getOrDefault("rates", "200,1000").split(",")) {
      int rate = Integer.parseInt(r.trim());
      warmSenders();
      Thread.sleep(2000); // idle before each phase, as the peer's run
      int n = rate * seconds;
      String wf = workflowId("lat");
      double[] submitAt = new double[n];
      double[] acceptedAt = new double[n];
      String[] ids = new String[n];
      String body = "{\"id\":\"j\",\"type\":\"noop\",\"workflowId\":\"" + wf + "\"}";
      double start = nowMs() + 50;
      AtomicInteger due = new AtomicInteger();
      // Open loop with a bounded number of connections: job i is due at start + i/rate and its latency counts from
      // then, so a submit that waits for a free sender counts against Gantry (no coordinated omission).
      BenchHttp.runThreads(SENDERS, t -> {
        for (int i = due.getAndIncrement(); i < n; i = due.getAndIncrement()) {
          submitAt[i] = start + i * 1000.0 / rate;
          for (double left = submitAt[i] - nowMs(); left > 0; left = submitAt[i] - nowMs()) {
            LockSupport.parkNanos((long) (left * 1e6)); // sleep, never spin: the node needs both cores
          }
          ids[i] = http.postJson("/queue/jobs", body, 202).get("id").asText();
          acceptedAt[i] = nowMs();
        }
      });
      double sendSecs = (nowMs() - start) / 1000;
      List<Double> accepted = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        accepted.add(acceptedAt[i] - submitAt[i]);
      }
      List<Double> started = new ArrayList<>(n);
      List<Double> completed = new ArrayList<>(n);
      AtomicInteger next = new AtomicInteger();
      BenchHttp.runThreads(8, t -> {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          JsonNode job = untilCompleted("/queue/jobs/" + URLEncoder.encode(ids[i], StandardCharsets.UTF_8));
          synchronized (started) {
            started.add(job.get("startedAt").asLong() - submitAt[i]);
            completed.add(job.get("completedAt").asLong() - submitAt[i]);
          }
        }
      });
      out.add(String.format(Locale.ROOT, "{\"bench\":\"latency\",\"config\":\"rate=%d/s x %ds conc=50 (1 node)\","
          + "\"achieved_rate\":%.0f,\"accepted_ms\":%s,\"started_ms\":%s,\"completed_ms\":%s}", rate, seconds,
          n / sendSecs, Figures.summary(accepted), Figures.summary(started), Figures.summary(completed)));
    }
    return out;
  }

  /**
   * Each sender opens its connection and runs the client's submit path before the phase, as the peer's producer
   * is connected before it measures: a fresh client (this JVM is new each round) spent its first ~500 ms on its
   * own start (class loading, connections), which made the first 5 % of the 200/s phase wait and was its p99.
   */
  private void warmSenders() throws Exception {
    String body = "{\"id\":\"j\",\"type\":\"noop\",\"workflowId\":\"" + workflowId("lat-warm") + "\"}";
    BenchHttp.runThreads(SENDERS, t -> {
      for (int i = 0; i < 3; i++) {
        http.postJson("/queue/jobs", body, 202);
      }
    });
  }

  private JsonNode untilCompleted(String path) throws Exception {
    long end = System.currentTimeMillis() + TIMEOUT_MS;
    while (true) {
      JsonNode job = http.getJson(path);
      if (!job.path("completedAt").isNull() && !job.path("completedAt").isMissingNode()) {
        return job;
      }
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("not completed in time: " + path + " " + job);
      }
      Thread.sleep(20);
    }
  }

  // ---- (3) DAGs: fan-in (three independent jobs feeding a fourth) and chains, at once or paced

  private String flows() throws Exception {
    String shape = opts.getOrDefault("shape", "fanin");
    String mode = opts.getOrDefault("mode", "burst");
    int depth = opt("depth", 10);
    int flows = opt("flows", shape.equals("fanin") && mode.equals("burst") ? 1000 : 200);
    int rate = opt("rate", 20);
    int jobsPerFlow = shape.equals("fanin") ? 4 : depth;
    String wf = workflowId("flow-" + shape);
    String doc = flowDocument(wf, shape, depth);
    Map<String, Double> submitAt = new ConcurrentHashMap<>();
    boolean bulk = bulkDagsAvailable();
    double t0 = nowMs();
    if (mode.equals("burst") && bulk) {
      for (int k = 0; k < flows; k += 100) {
        double t = nowMs();
        StringBuilder body = new StringBuilder("{\"executions\":[");
        for (int j = 0; j < Math.min(100, flows - k); j++) {
          body.append(j == 0 ? "" : ",").append(doc);
        }
        for (JsonNode item : http.postJson("/execute/distributed/bulk", body.append("]}").toString(), 202).get("items")) {
          submitAt.put(item.get("executionId").asText(), t);
        }
      }
    } else if (mode.equals("burst")) { // no bulk DAG endpoint on this node: 64 single submits in flight
      AtomicInteger left = new AtomicInteger(flows);
      BenchHttp.runThreads(64, th -> {
        while (left.getAndDecrement() > 0) {
          double t = nowMs();
          submitAt.put(http.postJson("/execute/distributed", doc, 202).get("executionId").asText(), t);
        }
      });
    } else {
      AtomicInteger due = new AtomicInteger();
      BenchHttp.runThreads(SENDERS, th -> {
        for (int k = due.getAndIncrement(); k < flows; k = due.getAndIncrement()) {
          double at = t0 + k * 1000.0 / rate;
          for (double left = at - nowMs(); left > 0; left = at - nowMs()) {
            LockSupport.parkNanos((long) (left * 1e6));
          }
          submitAt.put(http.postJson("/execute/distributed", doc, 202).get("executionId").asText(), at);
        }
      });
    }
    double tSub = nowMs();
    Finished done = waitFinished(wf, flows * jobsPerFlow);
    List<Double> latency = new ArrayList<>();
    done.completedAt.forEach((id, at) -> latency.add(at - submitAt.get(id)));
    double secs = (done.lastCompletedAt - t0) / 1000;
    return String.format(Locale.ROOT, "{\"bench\":\"flows\",\"config\":\"shape=%s%s flows=%d mode=%s%s conc=50 "
        + "submit=%s\",\"submit_flows_per_s\":%.0f,\"flows_per_s\":%.0f,\"jobs_per_s\":%.0f,\"flow_latency_ms\":%s}",
        shape, shape.equals("chain") ? " depth=" + depth : "", flows, mode, mode.equals("paced") ? " rate=" + rate
        + "/s" : "", mode.equals("paced") ? "single" : bulk ? "bulk-100" : "single-64", flows / ((tSub - t0) / 1000),
        flows / secs, flows * jobsPerFlow / secs, Figures.summary(latency));
  }

  private static String flowDocument(String wf, String shape, int depth) {
    StringBuilder jobs = new StringBuilder();
    if (shape.equals("fanin")) {
      jobs.append("{\"id\":\"c1\",\"type\":\"noop\"},{\"id\":\"c2\",\"type\":\"noop\"},{\"id\":\"c3\",\"type\":\"noop\"},"
          + "{\"id\":\"root\",\"type\":\"noop\",\"dependsOn\":[\"c1\",\"c2\",\"c3\"]}");
    } else { // leaf first, root last, as the peer's chain
      for (int d = 1; d < depth; d++) {
        jobs.append("{\"id\":\"s").append(d).append("\",\"type\":\"noop\"")
            .append(d > 1 ? ",\"dependsOn\":[\"s" + (d - 1) + "\"]" : "").append("},");
      }
      jobs.append("{\"id\":\"root\",\"type\":\"noop\",\"dependsOn\":[\"s").append(depth - 1).append("\"]}");
    }
    return "{\"workflowId\":\"" + wf + "\",\"jobs\":[" + jobs + "]}";
  }

  /** POST /execute/distributed/bulk (API.md) where the node has it: an empty call is a 400, not a 404. */
  private boolean bulkDagsAvailable() throws Exception {
    return http.post("/execute/distributed/bulk", "{\"executions\":[]}").statusCode() != 404;
  }

  // ---- waiting for the end

  private long completedCount() throws Exception {
    return http.getJson("/queue/stats").get("completed").asLong();
  }

  /**
   * Polls /queue/stats (every 50 ms, every 5 ms for the last 1,000, so as not to load the node) until {@code completed} reaches {@code target}; answers when the poll that saw it
   * was sent. For single-job executions {@code completed} counts jobs whether it counts jobs or executions. (The
   * execution listing is no use at this size: its cursor skips entries when over a thousand were created in one
   * millisecond, as a bulk does.)
   */
  private double waitCompletedCount(long target) throws Exception {
    long end = System.currentTimeMillis() + TIMEOUT_MS;
    while (true) {
      double sent = nowMs();
      JsonNode stats = http.getJson("/queue/stats");
      if (stats.get("completed").asLong() >= target) {
        return sent;
      }
      if (stats.get("failed").asLong() > 0 || System.currentTimeMillis() > end) {
        throw new IllegalStateException("not all " + target + " completed: " + stats);
      }
      Thread.sleep(target - stats.get("completed").asLong() > 1000 ? 50 : 5);
    }
  }

  // ---- waiting for DAGs, read from the index: each execution's completedAt (the node's clock, ms)

  record Finished(Map<String, Double> completedAt, double lastCompletedAt) {}

  /**
   * Waits until the executions of {@code wf} are all completed and hold {@code jobs} jobs. Cheap /queue/stats polls
   * say when nothing is in flight any more; the listing (every 500 ms regardless) says whether all are done.
   */
  private Finished waitFinished(String wf, int jobs) throws Exception {
    long end = System.currentTimeMillis() + TIMEOUT_MS;
    long nextListing = System.currentTimeMillis() + 500;
    while (true) {
      JsonNode stats = http.getJson("/queue/stats");
      boolean idle = stats.get("active").asLong() + stats.get("queued").asLong() + stats.get("waiting").asLong() == 0;
      if (idle || System.currentTimeMillis() >= nextListing) {
        Finished f = listCompleted(wf, jobs);
        if (f != null) {
          return f;
        }
        nextListing = System.currentTimeMillis() + 500;
      }
      if (stats.get("failed").asLong() > 0) {
        throw new IllegalStateException("jobs failed: " + stats);
      }
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("not finished in time: " + wf + " " + stats);
      }
      Thread.sleep(10);
    }
  }

  /** Completed executions of {@code wf} when together they hold {@code jobs} jobs, else null. */
  private Finished listCompleted(String wf, int jobs) throws Exception {
    Map<String, Double> completedAt = new HashMap<>();
    int jobCount = 0;
    double last = 0;
    String cursor = null;
    do {
      JsonNode page = http.getJson("/execute?workflowId=" + wf + "&status=completed&limit=1000"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
      for (JsonNode e : page.get("items")) {
        double at = e.get("completedAt").asDouble();
        completedAt.put(e.get("executionId").asText(), at);
        jobCount += e.get("jobCount").asInt();
        last = Math.max(last, at);
      }
      cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
    } while (cursor != null);
    return jobCount >= jobs ? new Finished(completedAt, last) : null;
  }

  static String workflowId(String tag) {
    return "bench-" + tag + "-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
  }
}
