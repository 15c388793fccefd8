package io.gantry.http;

import io.gantry.testkit.TestHttpClient;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Keeps test HTTP workers alive (a heartbeat every 250 ms) until told to go silent. */
final class WorkerHeartbeats implements AutoCloseable {
  private final TestHttpClient api;
  private final Set<String> alive = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-heartbeats");
    t.setDaemon(true);
    return t;
  });

  WorkerHeartbeats(TestHttpClient api) {
    this.api = api;
    timer.scheduleWithFixedDelay(this::beat, 250, 250, TimeUnit.MILLISECONDS);
  }

  void keep(String workerId) {
    alive.add(workerId);
  }

  /** Once this returns, no heartbeat of {@code workerId} is in flight or will be sent. */
  synchronized void silence(String workerId) {
    alive.remove(workerId);
  }

  private synchronized void beat() {
    for (String id : alive) {
      try {
        api.post("/workers/" + id + "/heartbeat", "{}");
      } catch (RuntimeException e) {
        // the node may be stopping
      }
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
