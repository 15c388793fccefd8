package io.gantry.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every endpoint of the HTTP API that takes a JSON body (API.md §3), each with a generator of valid bodies and of
 * paths; paths name what the fuzz has learned from earlier answers (executions, attempts, locks, workers) so that
 * mutants also reach the code behind the lookups. Valid DAGs run only noop, sleep (a few ms), fail, and the
 * {@link #HTTP_TYPE} that the test's HTTP worker takes: never shell.
 */
final class FuzzTargets {
  static final String HTTP_TYPE = "fuzz-http";
  static final String BULK_PATH = "/execute/distributed/bulk";

  /** One endpoint: its name, its weight among the inputs, how to make a valid body and a path. */
  record Target(String name, int weight, Body body, Path path) {
  }

  interface Body {
    JsonNode valid(Random random);
  }

  interface Path {
    String of(Random random);
  }

  /** What earlier answers told: ids to aim at. Written by the test as answers come in. */
  static final class Learned {
    final List<String> executions = new CopyOnWriteArrayList<>();
    final List<String> attempts = new CopyOnWriteArrayList<>();
    final List<String[]> locks = new CopyOnWriteArrayList<>();
    final List<String> workers = new CopyOnWriteArrayList<>();
    volatile String poller;
  }

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final Learned learned;
  private final Random paths;
  private final List<Target> targets = new ArrayList<>();
  private final int totalWeight;

  FuzzTargets(Learned learned, Random paths) {
    this.learned = learned;
    this.paths = paths;
    targets.add(new Target("submit", 30, this::dag, r -> "/execute/distributed"));
    targets.add(new Target("submit bulk", 8, this::bulk, r -> BULK_PATH));
    targets.add(new Target("queue job", 12, r -> queueJob(r, true), r -> "/queue/jobs"));
    targets.add(new Target("queue bulk", 6, this::queueBulk, r -> "/queue/jobs/bulk"));
    targets.add(new Target("queue drain", 1, r -> F.objectNode().put("delayed", r.nextBoolean()), r -> "/queue/drain"));
    targets.add(new Target("queue clean", 2, this::clean, r -> "/queue/clean"));
    targets.add(new Target("checkpoint", 4, r -> F.objectNode().put("checkpointId", "ck-" + r.nextInt(100)),
        r -> "/execute/" + pick(r, learned.executions, "no-such-execution") + "/checkpoint"));
    targets.add(new Target("register", 5, this::register, r -> "/workers/register"));
    targets.add(new Target("heartbeat", 4, this::heartbeat, r -> "/workers/" + worker(r) + "/heartbeat"));
    targets.add(new Target("poll", 5, this::poll, r -> "/workers/" + worker(r) + "/poll"));
    targets.add(new Target("progress", 6, this::progress,
        r -> "/workers/" + worker(r) + "/jobs/" + pick(r, learned.attempts, "x:y:1") + "/progress"));
    targets.add(new Target("complete", 6, this::complete,
        r -> "/workers/" + worker(r) + "/jobs/" + pick(r, learned.attempts, "x:y:1") + "/complete"));
    targets.add(new Target("lock acquire", 4, this::acquire, r -> "/locks/" + resource(r)));
    targets.add(new Target("lock extend", 3, r -> F.objectNode().put("extensionMs", 500 + r.nextInt(2000)),
        this::extendPath));
    totalWeight = targets.stream().mapToInt(Target::weight).sum();
  }

  /** The Random that paths are made with (apart from the bodies', so that those stay one sequence). */
  Random pathRandom() {
    return paths;
  }

  List<Target> all() {
    return targets;
  }

  Target pick(Random random) {
    int n = random.nextInt(totalWeight);
    for (Target t : targets) {
      n -= t.weight();
      if (n < 0) {
        return t;
      }
    }
    throw new IllegalStateException();
  }

  // ---- valid bodies

  /** A small random DAG: 1..6 jobs, each depending on some earlier ones. */
  ObjectNode dag(Random r) {
    ObjectNode doc = F.objectNode().put("workflowId", "fuzz-" + r.nextInt(20));
    if (r.nextInt(4) == 0) {
      doc.put("executionId", "fz-" + r.nextInt(50));
    }
    if (r.nextBoolean()) {
      doc.put("priority", 1 + r.nextInt(10));
    }
    if (r.nextInt(3) == 0) {
      doc.putObject("metadata").put("team", "fuzz").put("n", r.nextInt(10));
    }
    ArrayNode jobs = doc.putArray("jobs");
    int n = 1 + r.nextInt(6);
    for (int i = 0; i < n; i++) {
      ObjectNode job = job(r, "j" + i);
      if (i > 0 && r.nextBoolean()) {
        ArrayNode deps = job.putArray("dependsOn");
        deps.add("j" + r.nextInt(i));
        if (i > 1 && r.nextBoolean()) {
          deps.add("j" + (i - 1));
        }
      }
      jobs.add(job);
    }
    return doc;
  }

  private ObjectNode job(Random r, String id) {
    ObjectNode job = F.objectNode().put("id", id);
    int p = r.nextInt(100);
    if (p < 40) {
      job.put("type", "noop");
      if (r.nextBoolean()) {
        job.putObject("config").putObject("output").put("v", r.nextInt(100));
      }
    } else if (p < 65) {
      job.put("type", "sleep").putObject("config").put("ms", r.nextInt(30));
    } else if (p < 80) {
      job.put("type", "fail").put("maxRetries", r.nextInt(2)).putObject("config").put("times", r.nextInt(2));
      job.putObject("backoff").put("initialMs", 10).put("multiplier", 1.5).put("maxMs", 100);
    } else {
      job.put("type", HTTP_TYPE).putObject("config").put("n", r.nextInt(100));
    }
    if (r.nextInt(4) == 0) {
      job.put("priority", 1 + r.nextInt(10));
    }
    if (r.nextInt(5) == 0) {
      job.put("timeoutMs", 5_000 + r.nextInt(5_000));
    }
    if (r.nextInt(6) == 0) {
      job.putArray("requiredCapabilities").add("cpu");
    }
    if (r.nextInt(8) == 0) {
      job.put("concurrencyKey", "fuzz/key-" + r.nextInt(3));
    }
    return job;
  }

  private JsonNode bulk(Random r) {
    ObjectNode body = F.objectNode();
    ArrayNode executions = body.putArray("executions");
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      executions.add(dag(r));
    }
    return body;
  }

  private ObjectNode queueJob(Random r, boolean extras) {
    ObjectNode job = job(r, "q" + r.nextInt(5));
    if (r.nextBoolean()) {
      job.remove("id");
    }
    if (extras && r.nextInt(3) == 0) {
      job.put("workflowId", "fuzz-q");
    }
    if (extras && r.nextInt(5) == 0) {
      job.put("executionId", "fzq-" + r.nextInt(40));
    }
    if (r.nextInt(4) == 0) {
      job.putObject("metadata").put("k", "v");
    }
    return job;
  }

  private JsonNode queueBulk(Random r) {
    ObjectNode body = F.objectNode();
    ArrayNode jobs = body.putArray("jobs");
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      jobs.add(queueJob(r, false));
    }
    return body;
  }

  private JsonNode clean(Random r) {
    ObjectNode body = F.objectNode().put("graceMs", 60_000 + r.nextInt(60_000)).put("limit", 1 + r.nextInt(10));
    return body.put("type", new String[] {"completed", "failed", "cancelled"}[r.nextInt(3)]);
  }

  private JsonNode register(Random r) {
    ObjectNode w = F.objectNode().put("workerId", "fz-w-" + r.nextInt(30)).put("pool", "fuzz-pool")
        .put("hostname", "fuzz-host").put("pid", r.nextInt(100_000)).put("maxConcurrency", 1 + r.nextInt(4));
    w.putArray("capabilities").add("cpu");
    w.putArray("jobTypes").add("fuzz-registered");
    w.putObject("metadata").put("cpuCores", 2).put("memoryGB", 4.0).put("gpuCount", 0).put("version", "1")
        .put("platform", "linux");
    if (r.nextInt(3) == 0) {
      w.putArray("runningAttempts").add(pick(r, learned.attempts, "e:j:1"));
    }
    return w;
  }

  private JsonNode heartbeat(Random r) {
    ObjectNode h = F.objectNode().put("currentLoad", r.nextInt(3));
    if (r.nextBoolean()) {
      h.putArray("runningAttempts").add(pick(r, learned.attempts, "e:j:1"));
    }
    return h;
  }

  private JsonNode poll(Random r) {
    return F.objectNode().put("max", 1 + r.nextInt(3)).put("waitMs", r.nextInt(200));
  }

  private JsonNode progress(Random r) {
    ObjectNode p = F.objectNode().put("percent", r.nextInt(101)).put("message", "step " + r.nextInt(10));
    p.putObject("checkpoint").put("step", r.nextInt(10));
    return p;
  }

  private JsonNode complete(Random r) {
    ObjectNode c = F.objectNode().put("success", r.nextInt(4) != 0);
    c.putObject("output").put("v", r.nextInt(100));
    if (r.nextBoolean()) {
      c.put("error", "boom");
    }
    c.putArray("logs").add("line 1").add("line 2");
    c.putObject("metadata").put("executionTime", r.nextInt(100)).put("memoryUsed", 10).put("cpuUsed", 0.5);
    return c;
  }

  private JsonNode acquire(Random r) {
    return F.objectNode().put("owner", "fuzz-" + r.nextInt(5)).put("ttlMs", 200 + r.nextInt(2000));
  }

  // ---- paths

  private String worker(Random r) {
    int p = r.nextInt(10);
    if (p < 6 && learned.poller != null) {
      return learned.poller;
    }
    return p < 9 ? pick(r, learned.workers, "fz-w-none") : segment(r);
  }

  private String resource(Random r) {
    return r.nextInt(5) == 0 ? segment(r) : "fuzz-res-" + r.nextInt(4);
  }

  private String extendPath(Random r) {
    if (!learned.locks.isEmpty() && r.nextInt(4) != 0) {
      String[] lock = learned.locks.get(r.nextInt(learned.locks.size()));
      return "/locks/" + enc(lock[0]) + "/" + enc(lock[1]) + "/extend";
    }
    return "/locks/" + resource(r) + "/" + segment(r) + "/extend";
  }

  /** An odd path segment, percent-encoded. */
  private static String segment(Random r) {
    String[] odd = {"x".repeat(300), "a b", "%", "\u00e9", "..", "a:b:c", "\u0000", "*", "\ud83d\ude00", "-", "a/b"};
    return enc(odd[r.nextInt(odd.length)]);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Picks with the paths' own Random, so that the bodies stay the same sequence whatever the answers were. */
  private String pick(Random r, List<String> from, String otherwise) {
    if (from.isEmpty() || paths.nextInt(8) == 0) {
      return otherwise;
    }
    return enc(from.get(paths.nextInt(from.size())));
  }
}
