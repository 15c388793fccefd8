package io.gantry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * The load generators' only way into Gantry: its public HTTP API (../shared/API.md), over keep-alive HTTP/1.1
 * connections, no token (a node on loopback without --token needs none). Shared by {@link HttpBench} and
 * {@link ScenarioBench}.
 */
final class BenchHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  BenchHttp(String base) {
    this.base = base;
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
  }

  CompletableFuture<HttpResponse<String>> postAsync(String path, String body) {
    return client.sendAsync(postRequest(path, body), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<Void> delete(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
  }

  /** POSTs and answers the JSON body, failing unless the status is {@code status}. */
  JsonNode postJson(String path, String body, int status) throws Exception {
    return JSON.readTree(expect(status, post(path, body)).body());
  }

  JsonNode getJson(String path) throws Exception {
    return JSON.readTree(expect(200, get(path)).body());
  }

  private HttpRequest postRequest(String path, String body) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  static HttpResponse<String> expect(int status, HttpResponse<String> r) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(r.request().method() + " " + r.request().uri().getPath() + ": expected "
          + status + ", got " + r.statusCode() + ": " + r.body());
    }
    return r;
  }

  interface Work {
    void run(int thread) throws Exception;
  }

  /** Runs {@code work} on {@code n} threads and waits for all; the first failure fails the call. */
  static void runThreads(int n, Work work) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < n; i++) {
      int thread = i;
      Thread t = new Thread(() -> {
        try {
          work.run(thread);
        } catch (Throwable e) {
          errors.add(e);
        } finally {
          done.countDown();
        }
      });
      t.setDaemon(true);
      t.start();
    }
    done.await();
    if (!errors.isEmpty()) {
      throw new IllegalStateException("a load thread failed: " + errors.peek().getMessage(), errors.peek());
    }
  }

  /** Wall clock in ms with sub-ms resolution, as the peer's {@code performance.timeOrigin + performance.now()}. */
  static final class Clock {
    private static final long ORIGIN_MS = System.currentTimeMillis();
    private static final long ORIGIN_NANOS = System.nanoTime();

    static double nowMs() {
      return ORIGIN_MS + (System.nanoTime() - ORIGIN_NANOS) / 1e6;
    }

    private Clock() {}
  }
}
