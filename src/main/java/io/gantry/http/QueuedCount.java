package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.protocol.QueueStats;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attempts queued cluster-wide (the sum of every pool registry's {@code queued}) for {@code gantry.queue.max-queued},
 * read at most every {@link #FRESH_MS}: one stats round per interval however many submits arrive, so the bound
 * costs a submit nothing but a volatile read. When the registries cannot be asked the last figure stands.
 */
final class QueuedCount {
  private static final Logger log = LoggerFactory.getLogger(QueuedCount.class);
  static final long FRESH_MS = 500;

  private final Gantry gantry;
  private volatile int queued;
  private volatile long readAtMs;
  private CompletableFuture<Integer> reading;

  QueuedCount(Gantry gantry) {
    this.gantry = gantry;
  }

  CompletionStage<Integer> current() {
    if (System.currentTimeMillis() - readAtMs < FRESH_MS) {
      return CompletableFuture.completedFuture(queued);
    }
    synchronized (this) {
      if (reading == null || reading.isDone()) {
        reading = gantry.queueStats().toCompletableFuture()
            .thenApply(QueuedCount::sum)
            .handle((n, e) -> {
              if (e != null) {
                log.debug("queue stats unavailable for gantry.queue.max-queued: {}", e.toString());
                return queued;
              }
              queued = n;
              readAtMs = System.currentTimeMillis();
              return n;
            });
      }
      return reading;
    }
  }

  private static int sum(List<QueueStats> pools) {
    return pools.stream().mapToInt(QueueStats::queued).sum();
  }
}
