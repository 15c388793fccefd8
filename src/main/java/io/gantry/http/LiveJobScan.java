package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.execution.ExecutionIndex;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.Principal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Job-level figures that only the executions know: how many jobs wait (for dependencies or a paused execution) and
 * how many are delayed (retrying after a backoff). Counted by asking unfinished executions for their job counts: all of
 * them up to {@link #SAMPLE}, else a random sample scaled up (then {@code estimated}). Cached for {@link #TTL_MS}, so
 * a dashboard polling every 2 s costs one scan. {@link #cancelDelayed} scans them all.
 */
final class LiveJobScan {
  static final int SAMPLE = 500;
  static final long TTL_MS = 2_000;
  private static final int PARALLELISM = 32;

  record Counts(long waiting, long delayed, boolean estimated) {
  }

  private record Cached(long at, CompletableFuture<Counts> counts) {
  }

  private final Gantry gantry;
  private final ExecutionIndex index;
  private final ActorSystem<?> system;
  private final AtomicReference<Cached> cache = new AtomicReference<>();

  LiveJobScan(Gantry gantry, ExecutionIndex index, ActorSystem<?> system) {
    this.gantry = gantry;
    this.index = index;
    this.system = system;
  }

  CompletionStage<Counts> counts() {
    long now = System.currentTimeMillis();
    Cached c = cache.get();
    if (c != null && now - c.at() < TTL_MS && !c.counts().isCompletedExceptionally()) {
      return c.counts();
    }
    CompletableFuture<Counts> fresh = new CompletableFuture<>();
    if (!cache.compareAndSet(c, new Cached(now, fresh))) {
      return cache.get().counts();
    }
    index.liveCount().thenCompose(live -> index.sampleLive(SAMPLE)
        .thenCompose(ids -> count(ids).thenApply(p -> {
          double scale = ids.isEmpty() ? 1 : Math.max(1.0, (double) live / ids.size());
          return new Counts(Math.round(p.first() * scale), Math.round(p.second() * scale), live > ids.size());
        })))
        .whenComplete((counts, e) -> {
          if (e != null) {
            fresh.completeExceptionally(e);
          } else {
            fresh.complete(counts);
          }
        });
    return fresh;
  }

  /** (waiting, retrying) jobs over these executions; an execution that does not answer counts nothing. */
  private CompletionStage<Pair<Long, Long>> count(List<String> ids) {
    return Source.from(ids)
        .mapAsyncUnordered(PARALLELISM, id -> gantry.jobs(id, null, 0, 0).exceptionally(e -> null))
        .filter(page -> page != null)
        .runWith(Sink.fold(Pair.create(0L, 0L), (acc, page) -> Pair.create(
            acc.first() + page.count(JobStatus.WAITING), acc.second() + page.count(JobStatus.RETRYING))), system);
  }

  /** Cancels every job that waits for its retry backoff, in every unfinished execution; answers how many. */
  CompletionStage<Integer> cancelDelayed(Principal by) {
    return index.liveExecutions().thenCompose(ids -> Source.from(ids)
        .mapAsyncUnordered(PARALLELISM, id -> gantry.jobs(id, JobStatus.RETRYING, 0, Integer.MAX_VALUE)
            .exceptionally(e -> null))
        .filter(page -> page != null)
        .mapConcat(page -> page.items().stream().map(j -> Pair.create(page.executionId(), j.jobId())).toList())
        .mapAsyncUnordered(PARALLELISM, p -> gantry.cancelJob(p.first(), p.second(), by)
            .thenApply(st -> 1).exceptionally(e -> 0))
        .runWith(Sink.fold(0, Integer::sum), system));
  }
}
