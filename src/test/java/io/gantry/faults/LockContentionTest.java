package io.gantry.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, scenario (7): lock contention. 50 concurrent HTTP clients compete for one resource through
 * {@code POST /locks/{resource}} on one node (real HTTP, real Redis), each until it has been granted the lock once.
 * While a client holds the lock (granted and not yet released, far within its TTL) no other client may be granted
 * it, and every grant's fencing token is above the one of the grant before it.
 */
@Tag("slow")
class LockContentionTest {
  private static final int CLIENTS = 50;
  private static final int GRANTS_EACH = 1;

  @Test
  void neverTwoHoldersAndFencingTokensStrictlyIncrease() throws Exception {
    try (TestNode node = TestNode.startWithApi("")) {
      TestHttpClient http = node.http().withTimeout(Duration.ofSeconds(10));
      String resource = "/locks/contended-" + UUID.randomUUID().toString().substring(0, 8);
      AtomicReference<String> holder = new AtomicReference<>();
      AtomicLong lastToken = new AtomicLong(Long.MIN_VALUE);
      Queue<String> violations = new ConcurrentLinkedQueue<>();
      Queue<Long> tokens = new ConcurrentLinkedQueue<>();
      AtomicLong refusals = new AtomicLong();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        String owner = "client-" + c;
        clients.add(pool.submit(() -> {
          go.await();
          for (int granted = 0; granted < GRANTS_EACH; ) {
            HttpResponse<String> r = http.exchange("POST", resource,
                "{\"owner\": \"" + owner + "\", \"ttlMs\": 10000}");
            if (r.statusCode() == 409) {
              refusals.incrementAndGet();
              Thread.sleep(ThreadLocalRandom.current().nextInt(5, 25));
              continue;
            }
            assertEquals(200, r.statusCode(), r.body());
            JsonNode lock = Runs.JSON.readTree(r.body());
            String other = holder.getAndSet(owner);
            if (other != null) {
              violations.add(owner + " was granted the lock while " + other + " held it");
            }
            long token = lock.path("fencingToken").asLong();
            long previous = lastToken.getAndSet(token);
            if (token <= previous) {
              violations.add(owner + " got fencing token " + token + " after " + previous);
            }
            tokens.add(token);
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 3));
            // Cleared before the release: once released, the next grant may come at once.
            holder.compareAndSet(owner, null);
            HttpResponse<String> released =
                http.exchange("DELETE", resource + "/" + lock.path("lockId").asText(), null);
            assertEquals(200, released.statusCode(), released.body());
            granted++;
          }
          return null;
        }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<?> client : clients) {
        client.get(120, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      System.out.println("locks: " + tokens.size() + " grants to " + CLIENTS + " clients, " + refusals.get()
          + " refusals, in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      assertTrue(violations.isEmpty(), String.join("\n", violations));
      assertEquals(CLIENTS * GRANTS_EACH, tokens.size());
      assertEquals(CLIENTS * GRANTS_EACH, tokens.stream().distinct().count(), "fencing tokens are unique");
    }
  }
}
