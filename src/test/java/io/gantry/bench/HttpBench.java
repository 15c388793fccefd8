package io.gantry.bench;

import static io.gantry.bench.BenchHttp.expect;
import static io.gantry.bench.BenchHttp.runThreads;
import static io.gantry.bench.Figures.percentile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP API figures of a running node (scenario {@code http} of bench/run): single-submit throughput, bulk-of-500
 * throughput, bulk-of-100 latency (100 queue jobs; 100 one-job DAGs), and status latency under submit load. One
 * round prints one JSON line.
 */
final class HttpBench {
  private static final String SINGLE = "{\"workflowId\":\"bench\",\"jobs\":[{\"id\":\"a\",\"type\":\"noop\"}]}";

  private final BenchHttp http;

  HttpBench(BenchHttp http) {
    this.http = http;
  }

  /** Warms the node and the client up: JIT, connections, sharding. */
  void warmUp() throws Exception {
    singleSubmits(32, 2_000);
    bulkLatencies(100, 10);
    dagBulkLatencies(100, 10);
  }

  /** One round: the figures as one JSON line in the peer's style. */
  String round() throws Exception {
    double single = singleSubmits(64, 20_000);
    double bulk500 = bulkThroughput(500, 20);
    double bulk100p50 = percentile(bulkLatencies(100, 50), 50);
    double dagBulk100p50 = percentile(dagBulkLatencies(100, 50), 50);
    double[] status = statusUnderLoad(16, 8, Duration.ofSeconds(10));
    return String.format(Locale.ROOT, "{\"bench\":\"http\",\"config\":\"1 node, 64 clients\","
        + "\"single_submits_per_s\":%.0f,\"bulk500_jobs_per_s\":%.0f,\"bulk100_p50_ms\":%.2f,"
        + "\"dag_bulk100_p50_ms\":%.2f,\"status_under_load_ms\":{\"p50\":%.2f,\"p99\":%.2f},\"status_per_s\":%.0f}",
        single, bulk500, bulk100p50, dagBulk100p50, status[0], status[1], status[2]);
  }

  /** Submits/s of one-job DAGs from {@code clients} concurrent connections. */
  private double singleSubmits(int clients, int total) throws Exception {
    AtomicInteger left = new AtomicInteger(total);
    long start = System.nanoTime();
    runThreads(clients, t -> {
      while (left.getAndDecrement() > 0) {
        expect(202, http.post("/execute/distributed", SINGLE));
      }
    });
    return total / seconds(start);
  }

  /** Jobs/s of bulk submits, four bulks in flight. */
  private double bulkThroughput(int size, int bulks) throws Exception {
    String body = bulkBody(size);
    AtomicInteger left = new AtomicInteger(bulks);
    long start = System.nanoTime();
    runThreads(4, t -> {
      while (left.getAndDecrement() > 0) {
        expect(202, http.post("/queue/jobs/bulk", body));
      }
    });
    return (double) size * bulks / seconds(start);
  }

  /** Latencies (ms) of sequential bulk submits. */
  private List<Double> bulkLatencies(int size, int bulks) throws Exception {
    String body = bulkBody(size);
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < bulks; i++) {
      long t = System.nanoTime();
      expect(202, http.post("/queue/jobs/bulk", body));
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  /** Latencies (ms) of sequential bulks of one-job DAGs (POST /execute/distributed/bulk). */
  private List<Double> dagBulkLatencies(int size, int bulks) throws Exception {
    StringBuilder sb = new StringBuilder("{\"executions\":[");
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : ",").append(SINGLE);
    }
    String body = sb.append("]}").toString();
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < bulks; i++) {
      long t = System.nanoTime();
      expect(202, http.post("/execute/distributed/bulk", body));
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  /** Status latency p50, p99 (ms) and rate while {@code loaders} threads keep submitting. */
  private double[] statusUnderLoad(int loaders, int readers, Duration length) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(http.postJson("/execute/distributed", SINGLE, 202).get("executionId").asText());
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = new Thread(() -> {
      try {
        runThreads(loaders, t -> {
          while (!stop.get()) {
            expect(202, http.post("/execute/distributed", SINGLE));
          }
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    load.start();
    ConcurrentLinkedQueue<Double> ms = new ConcurrentLinkedQueue<>();
    long end = System.nanoTime() + length.toNanos();
    long start = System.nanoTime();
    runThreads(readers, thread -> {
      int i = 0;
      while (System.nanoTime() < end) {
        long t = System.nanoTime();
        expect(200, http.get("/execute/" + ids.get(i++ % ids.size()) + "/status"));
        ms.add((System.nanoTime() - t) / 1e6);
      }
    });
    double rate = ms.size() / seconds(start);
    stop.set(true);
    load.join();
    List<Double> all = new ArrayList<>(ms);
    return new double[] {percentile(all, 50), percentile(all, 99), rate};
  }

  private static String bulkBody(int size) {
    StringBuilder sb = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < size; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"id\":\"j").append(i).append("\",\"type\":\"noop\",\"workflowId\":\"bench-bulk\"}");
    }
    return sb.append("]}").toString();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
