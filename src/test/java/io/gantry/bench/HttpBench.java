package io.gantry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP load generator for a running node (run it in its own process, see bench/http-bench): single-submit
 * throughput, bulk-of-500 throughput, bulk-of-100 latency, and status latency under submit load. Each figure is the
 * median of {@code runs} runs. Usage: {@code HttpBench <baseUrl> [runs]}.
 */
public final class HttpBench {
  private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\":\"([^\"]+)\"");
  private static final String SINGLE = "{\"workflowId\":\"bench\",\"jobs\":[{\"id\":\"a\",\"type\":\"noop\"}]}";

  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private HttpBench(String base) {
    this.base = base;
  }

  public static void main(String[] args) throws Exception {
    String base = args.length > 0 ? args[0] : "http://127.0.0.1:18080";
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    HttpBench bench = new HttpBench(base);
    bench.singleSubmits(32, 2_000); // warm-up: JIT, connections, sharding
    bench.bulkLatencies(100, 10);
    List<double[]> results = new ArrayList<>();
    for (int r = 1; r <= runs; r++) {
      double single = bench.singleSubmits(64, 20_000);
      double bulk500 = bench.bulkThroughput(500, 20);
      double bulk100p50 = percentile(bench.bulkLatencies(100, 50), 50);
      double[] status = bench.statusUnderLoad(16, 8, Duration.ofSeconds(10));
      double[] row = {single, bulk500, bulk100p50, status[0], status[1], status[2]};
      results.add(row);
      System.out.printf(Locale.ROOT, "run %d: single %.0f/s, bulk-500 %.0f jobs/s, bulk-100 p50 %.2f ms, "
          + "status p50 %.2f ms p99 %.2f ms (%.0f status/s under load)%n", r, row[0], row[1], row[2], row[3], row[4],
          row[5]);
    }
    String[] names = {"single submits/s (64 clients)", "bulk of 500: jobs/s", "bulk of 100: p50 ms",
        "status p50 ms (under submit load)", "status p99 ms (under submit load)", "status requests/s"};
    System.out.println();
    System.out.println("| figure | median of " + runs + " |");
    System.out.println("|---|---|");
    for (int i = 0; i < names.length; i++) {
      List<Double> values = new ArrayList<>();
      for (double[] row : results) {
        values.add(row[i]);
      }
      Collections.sort(values);
      System.out.printf(Locale.ROOT, "| %s | %s |%n", names[i], format(values.get(values.size() / 2)));
    }
  }

  /** Submits/s of one-job DAGs from {@code clients} concurrent connections. */
  private double singleSubmits(int clients, int total) throws Exception {
    AtomicInteger left = new AtomicInteger(total);
    long start = System.nanoTime();
    runThreads(clients, () -> {
      while (left.getAndDecrement() > 0) {
        expect(202, post("/execute/distributed", SINGLE));
      }
    });
    return total / seconds(start);
  }

  /** Jobs/s of bulk submits, four bulks in flight. */
  private double bulkThroughput(int size, int bulks) throws Exception {
    String body = bulkBody(size);
    AtomicInteger left = new AtomicInteger(bulks);
    long start = System.nanoTime();
    runThreads(4, () -> {
      while (left.getAndDecrement() > 0) {
        expect(202, post("/queue/jobs/bulk", body));
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
      expect(202, post("/queue/jobs/bulk", body));
      ms.add((System.nanoTime() - t) / 1e6);
    }
    return ms;
  }

  /** Status latency p50, p99 (ms) and rate while {@code loaders} threads keep submitting. */
  private double[] statusUnderLoad(int loaders, int readers, Duration length) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Matcher m = EXECUTION_ID.matcher(expect(202, post("/execute/distributed", SINGLE)).body());
      if (m.find()) {
        ids.add(m.group(1));
      }
    }
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = new Thread(() -> {
      try {
        runThreads(loaders, () -> {
          while (!stop.get()) {
            expect(202, post("/execute/distributed", SINGLE));
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
    runThreads(readers, () -> {
      int i = 0;
      while (System.nanoTime() < end) {
        long t = System.nanoTime();
        expect(200, get("/execute/" + ids.get(i++ % ids.size()) + "/status"));
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

  private HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> expect(int status, HttpResponse<String> r) {
    if (r.statusCode() != status) {
      throw new IllegalStateException("expected " + status + ", got " + r.statusCode() + ": " + r.body());
    }
    return r;
  }

  interface Work {
    void run() throws Exception;
  }

  private static void runThreads(int n, Work work) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(() -> {
        try {
          work.run();
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          done.countDown();
        }
      });
      t.start();
    }
    done.await();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("a load thread failed: " + errors.peek().getMessage(), errors.peek());
    }
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static String format(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
