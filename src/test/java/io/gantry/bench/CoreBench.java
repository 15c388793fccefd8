package io.gantry.bench;

import io.gantry.Gantry;
import io.gantry.dag.DagDocument;
import io.gantry.dag.DagParser;
import io.gantry.metrics.GantryMetrics;
import io.gantry.protocol.JobDetail;
import io.gantry.testkit.TestNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end figures of one node with the Redis journal (every state change persisted): N single noop jobs,
 * M diamond DAGs, and dispatch latency (queued to running) at fixed submit rates.
 * Run by bench/core-bench, which starts a private Redis; prints one line per figure.
 */
public final class CoreBench {
  public static void main(String[] args) throws Exception {
    int jobs = Integer.parseInt(arg(args, 0, "20000"));
    int diamonds = Integer.parseInt(arg(args, 1, "1000"));
    // -Dbench.conf="HOCON" layers extra settings over the node's (to compare tunings).
    String conf = "gantry.worker.max-concurrency = 50\npekko.loglevel = ERROR\n" + System.getProperty("bench.conf", "");
    try (TestNode node = TestNode.start(conf)) {
      Gantry g = node.gantry();
      warmUp(node);
      throughput(node, "noop-jobs", jobs, i -> single(i));
      throughput(node, "diamond-dags", diamonds, i -> diamond(i));
      for (int rate : Boolean.parseBoolean(System.getProperty("bench.latency", "true")) ? new int[] {200, 1000}
          : new int[0]) {
        latency(node, rate, 10);
      }
      System.out.println("done " + g.knownPools().toCompletableFuture().join());
    }
  }

  static DagDocument single(int i) {
    return DagParser.parse("{\"workflowId\":\"bench\",\"jobs\":[{\"id\":\"j\",\"type\":\"noop\",\"config\":{\"output\":"
        + i + "}}]}");
  }

  static DagDocument diamond(int i) {
    return DagParser.parse("{\"workflowId\":\"bench-diamond\",\"jobs\":["
        + "{\"id\":\"a\",\"type\":\"noop\",\"config\":{\"output\":1}},"
        + "{\"id\":\"b\",\"type\":\"noop\",\"dependsOn\":[\"a\"],\"config\":{\"output\":2}},"
        + "{\"id\":\"c\",\"type\":\"noop\",\"dependsOn\":[\"a\"],\"config\":{\"output\":3}},"
        + "{\"id\":\"d\",\"type\":\"noop\",\"dependsOn\":[\"b\",\"c\"],\"config\":{\"output\":4}}]}");
  }

  static void warmUp(TestNode node) throws Exception {
    // Enough work for the JIT to compile the hot paths: the figures are for a node that has been running.
    throughputQuiet(node, Integer.getInteger("bench.warmup", 10000), CoreBench::single);
  }

  static double completedJobs(TestNode node) {
    return GantryMetrics.get(node.system()).registry().get("gantry_jobs_completed").counter().count();
  }

  static void throughput(TestNode node, String name, int count, java.util.function.IntFunction<DagDocument> doc)
      throws Exception {
    try (CostMeter cost = new CostMeter(io.gantry.testkit.TestRedisUrl.get())) {
      cost.start();
      long[] r = throughputQuiet(node, count, doc);
      double seconds = r[0] / 1e9;
      System.out.printf("%s: %d executions, %d jobs in %.2f s: %.0f jobs/s, %.0f executions/s (submit phase %.2f s)%n"
          + "  %s%n", name, count, r[1], seconds, r[1] / seconds, count / seconds, r[2] / 1e9,
          cost.stop((int) r[1]).replace("per event", "per job"));
    }
  }

  /** Submits {@code count} executions with at most 2,000 submits in flight; answers nanos, jobs, submit nanos. */
  static long[] throughputQuiet(TestNode node, int count, java.util.function.IntFunction<DagDocument> doc)
      throws Exception {
    Gantry g = node.gantry();
    DagDocument sample = doc.apply(0);
    int jobsEach = sample.jobs().size();
    double before = completedJobs(node);
    Semaphore inFlight = new Semaphore(2000);
    long start = System.nanoTime();
    List<CompletableFuture<?>> submits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      submits.add(g.submit(doc.apply(i)).toCompletableFuture().whenComplete((a, e) -> inFlight.release()));
    }
    CompletableFuture.allOf(submits.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    long submitted = System.nanoTime() - start;
    long target = (long) before + (long) count * jobsEach;
    while (completedJobs(node) < target) {
      Thread.sleep(2);
      if (System.nanoTime() - start > TimeUnit.MINUTES.toNanos(10)) {
        throw new IllegalStateException("not finished after 10 minutes: " + completedJobs(node) + " of " + target);
      }
    }
    return new long[] {System.nanoTime() - start, (long) count * jobsEach, submitted};
  }

  /** Open-loop submits at {@code rate}/s for {@code seconds}; queued-to-running and submit-to-completed latency. */
  static void latency(TestNode node, int rate, int seconds) throws Exception {
    Gantry g = node.gantry();
    int total = rate * seconds;
    List<CompletableFuture<String>> ids = new ArrayList<>(total);
    long[] submitAt = new long[total];
    long start = System.nanoTime();
    long startMs = System.currentTimeMillis();
    for (int i = 0; i < total; i++) {
      long due = start + (long) (i * (1e9 / rate));
      // Sleep until due, never spin: a spinning producer would take one of the two cores from the node.
      for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
        java.util.concurrent.locks.LockSupport.parkNanos(left);
      }
      submitAt[i] = startMs + (System.nanoTime() - start) / 1_000_000;
      ids.add(g.submit(single(i)).toCompletableFuture().thenApply(a -> a.executionId()));
    }
    double target = completedJobs(node);
    CompletableFuture.allOf(ids.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    Thread.sleep(2000);
    long[] dispatch = new long[total];
    long[] endToEnd = new long[total];
    int n = 0;
    for (int i = 0; i < total; i++) {
      JobDetail d = g.job(ids.get(i).get(), "j").toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (d.startedAt() == null || d.completedAt() == null) {
        continue;
      }
      dispatch[n] = d.startedAt() - d.queuedAt();
      endToEnd[n] = d.completedAt() - submitAt[i];
      n++;
    }
    Arrays.sort(dispatch, 0, n);
    Arrays.sort(endToEnd, 0, n);
    System.out.printf("latency at %d jobs/s (%d samples, %.0f completed): dispatch p50 %d ms p99 %d ms;"
        + " submit-to-completed p50 %d ms p99 %d ms%n", rate, n, target, dispatch[n / 2], dispatch[(int) (n * 0.99)],
        endToEnd[n / 2], endToEnd[(int) (n * 0.99)]);
  }

  private static String arg(String[] args, int i, String dflt) {
    return args.length > i ? args[i] : dflt;
  }
}
