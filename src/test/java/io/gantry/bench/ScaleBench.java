package io.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario {@code scale} of bench/run: a node with many registered HTTP workers and a deep queue. Registers
 * {@code workers} HTTP workers (heartbeating them), queues {@code jobs} jobs of a type only they take, and measures
 * the live heap per queued job (the node's {@code jcmd GC.class_histogram}, which runs a full GC first), the latency
 * of {@code queue/stats}, a queued-job listing and a {@code status} call while loaded, and the dispatch rate when the
 * workers poll and complete; on top of the queued jobs, {@code executions} executions waiting for a type nobody
 * takes: heap per execution. What is left is drained at the end.
 */
final class ScaleBench {
  private final BenchHttp http;
  private final int workers;
  private final int jobs;
  private final int executions;
  private final int dispatchSeconds;
  private final long nodePid;

  ScaleBench(BenchHttp http, Map<String, String> opts) {
    this.http = http;
    this.workers = Integer.parseInt(opts.getOrDefault("workers", "1000"));
    this.jobs = Integer.parseInt(opts.getOrDefault("jobs", "100000"));
    this.executions = Integer.parseInt(opts.getOrDefault("executions", "10000"));
    this.dispatchSeconds = Integer.parseInt(opts.getOrDefault("dispatch-seconds", "10"));
    this.nodePid = Long.parseLong(opts.getOrDefault("pid", "0"));
  }

  /** One JSON line. */
  List<String> run() throws Exception {
    List<String> ids = registerWorkers();
    AtomicBoolean stop = new AtomicBoolean();
    Thread heartbeats = new Thread(() -> heartbeat(ids, stop), "heartbeats");
    heartbeats.setDaemon(true);
    heartbeats.start();
    try {
      long heap0 = settledHeap(); // a previous round's drained executions may still be leaving memory
      String wf = ScenarioBench.workflowId("scale");
      List<String> executionIds = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < jobs; i += 1000) {
        StringBuilder body = new StringBuilder("{\"jobs\":[");
        for (int k = 0; k < Math.min(1000, jobs - i); k++) {
          body.append(k == 0 ? "" : ",").append("{\"id\":\"q").append(i + k)
              .append("\",\"type\":\"bench-scale\",\"workflowId\":\"").append(wf).append("\"}");
        }
        for (JsonNode id : http.postJson("/queue/jobs/bulk", body.append("]}").toString(), 202).get("ids")) {
          if (executionIds.size() < 1000) {
            executionIds.add(id.asText().substring(0, id.asText().lastIndexOf(':')));
          }
        }
      }
      double submitSecs = (System.nanoTime() - start) / 1e9;
      Thread.sleep(2000); // let the offers reach the registry
      long heap1 = liveHeap();
      // On top of the queued jobs, so that nothing leaves memory in between: executions nobody can run.
      holdExecutions();
      long heap2 = liveHeap();
      List<Double> stats = new ArrayList<>();
      List<Double> listing = new ArrayList<>();
      List<Double> status = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        stats.add(timed("/queue/stats"));
        listing.add(timed("/queue/jobs?status=queued&limit=100"));
        status.add(timed("/execute/" + executionIds.get(i * 31 % executionIds.size()) + "/status"));
      }
      double dispatched = dispatch(ids);
      http.postJson("/queue/drain", "{}", 200);
      double perExecution = heap0 < 0 ? Double.NaN : (heap2 - heap1) / (double) executions;
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "{\"bench\":\"scale\",\"config\":\"workers=%d jobs=%d executions=%d "
          + "(1 node)\",\"queue_jobs_per_s\":%.0f,\"heap_bytes_per_queued_job\":%s,\"stats_ms\":%s,"
          + "\"listing_ms\":%s,\"status_ms\":%s,\"dispatch_jobs_per_s\":%.0f,\"heap_bytes_per_execution\":%s,"
          + "\"heap_before_mb\":%.1f}", workers, jobs, executions, jobs / submitSecs, perUnit(heap1 - heap0, jobs),
          Figures.summary(stats), Figures.summary(listing), Figures.summary(status), dispatched,
          Double.isNaN(perExecution) ? "null" : String.format(Locale.ROOT, "%.0f", perExecution),
          heap0 < 0 ? -1 : heap0 / 1e6));
      return out;
    } finally {
      stop.set(true);
      heartbeats.join();
      BenchHttp.runThreads(8, t -> {
        for (int i = t; i < ids.size(); i += 8) {
          http.delete("/workers/" + ids.get(i));
        }
      });
    }
  }

  private List<String> registerWorkers() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      ids.add("bench-w" + i);
    }
    BenchHttp.runThreads(8, t -> {
      for (int i = t; i < workers; i += 8) {
        http.postJson("/workers/register", "{\"workerId\":\"" + ids.get(i) + "\",\"hostname\":\"bench\",\"pid\":"
            + ProcessHandle.current().pid() + ",\"capabilities\":[\"cpu\"],\"maxConcurrency\":1,"
            + "\"jobTypes\":[\"bench-scale\"],\"metadata\":{\"cpuCores\":1,\"memoryGB\":1,\"gpuCount\":0,"
            + "\"version\":\"bench\",\"platform\":\"linux\"}}", 201);
      }
    });
    return ids;
  }

  private void heartbeat(List<String> ids, AtomicBoolean stop) {
    while (!stop.get()) {
      long round = System.currentTimeMillis();
      for (String id : ids) {
        if (stop.get()) {
          return;
        }
        try {
          http.post("/workers/" + id + "/heartbeat", "{}");
        } catch (Exception e) {
          System.err.println("heartbeat " + id + ": " + e.getMessage());
        }
      }
      long left = 2000 - (System.currentTimeMillis() - round);
      if (left > 0) {
        try {
          Thread.sleep(left);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** Jobs/s taken by polls and completed, over {@code dispatchSeconds}, 16 threads polling for the workers. */
  private double dispatch(List<String> ids) throws Exception {
    AtomicInteger done = new AtomicInteger();
    long end = System.nanoTime() + dispatchSeconds * 1_000_000_000L;
    long start = System.nanoTime();
    BenchHttp.runThreads(16, t -> {
      for (int i = t; System.nanoTime() < end; i = (i + 16) % ids.size()) {
        String id = ids.get(i);
        for (JsonNode a : http.postJson("/workers/" + id + "/poll", "{\"max\":1,\"waitMs\":0}", 200)) {
          http.postJson("/workers/" + id + "/jobs/" + a.get("attemptId").asText() + "/complete",
              "{\"success\":true,\"output\":{}}", 200);
          done.incrementAndGet();
        }
      }
    });
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }

  /** Submits {@code executions} executions whose one job waits for a type nobody takes. */
  private void holdExecutions() throws Exception {
    String doc = "{\"workflowId\":\"" + ScenarioBench.workflowId("hold")
        + "\",\"jobs\":[{\"id\":\"hold\",\"type\":\"bench-hold\"}]}";
    AtomicInteger left = new AtomicInteger(executions);
    BenchHttp.runThreads(32, t -> {
      while (left.getAndDecrement() > 0) {
        http.postJson("/execute/distributed", doc, 202);
      }
    });
    Thread.sleep(2000);
  }

  /** The live heap once it has stopped shrinking (within 2 % between reads 3 s apart, at most a minute). */
  private long settledHeap() throws Exception {
    long previous = liveHeap();
    for (int i = 0; i < 20 && previous >= 0; i++) {
      Thread.sleep(3000);
      long now = liveHeap();
      if (now > previous * 0.98) {
        return Math.min(now, previous);
      }
      previous = now;
    }
    return previous;
  }

  private String perUnit(long bytes, int units) {
    return nodePid == 0 ? "null" : String.format(Locale.ROOT, "%.0f", bytes / (double) units);
  }

  private double timed(String path) throws Exception {
    long t = System.nanoTime();
    http.getJson(path);
    return (System.nanoTime() - t) / 1e6;
  }

  /** Bytes of live objects in the node's heap: jcmd's class histogram, which runs a full GC first; -1 unknown. */
  private long liveHeap() throws Exception {
    if (nodePid == 0) {
      return -1;
    }
    Process p = new ProcessBuilder("jcmd", String.valueOf(nodePid), "GC.class_histogram").redirectErrorStream(true)
        .start();
    String total = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("Total")) {
          total = line;
        }
      }
    }
    p.waitFor();
    if (total == null) {
      throw new IllegalStateException("jcmd " + nodePid + " GC.class_histogram printed no Total line");
    }
    String[] parts = total.trim().split("\\s+");
    return Long.parseLong(parts[2]);
  }
}
