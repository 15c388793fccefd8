package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.internal.RedisPersistenceException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Group commit for the journal. Pekko hands the journal one call per persistent actor, each usually
 * carrying one event; sent one script call each, Redis spends most of its time on per-call overhead.
 * Here a write is sent at once while fewer than {@code maxCallsInFlight} script calls are running
 * (so a lone write pays no extra latency); otherwise it waits, and when a call returns, everything
 * that waited meanwhile goes out in the next call (up to {@code maxEventsPerCall} events). The busier
 * the journal, the bigger the batches.
 *
 * <p>Writes keep their arrival order across batches, so the writes of one persistence id are applied
 * in the order the journal received them. Thread-safe: writes are submitted by the journal actor and
 * batches complete on Lettuce's I/O threads.
 */
final class WriteBatcher {
  private final Function<List<JournalWrite>, CompletionStage<List<Optional<String>>>> redisWrite;
  private final int maxCallsInFlight;
  private final int maxEventsPerCall;
  private final String address;
  private final Executor completer;

  /** Guarded by {@code this}. */
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  /** Guarded by {@code this}. */
  private int callsInFlight;

  private record Pending(JournalWrite write, CompletableFuture<Void> done) {}

  WriteBatcher(
      Function<List<JournalWrite>, CompletionStage<List<Optional<String>>>> redisWrite,
      int maxCallsInFlight,
      int maxEventsPerCall,
      String address,
      Executor completer) {
    if (maxCallsInFlight < 1 || maxEventsPerCall < 1) {
      throw new IllegalArgumentException("write batching needs at least one call in flight and one event per call");
    }
    this.redisWrite = redisWrite;
    this.maxCallsInFlight = maxCallsInFlight;
    this.maxEventsPerCall = maxEventsPerCall;
    this.address = address;
    this.completer = completer;
  }

  /** Completes when the write is stored, exceptionally when it is not. */
  CompletableFuture<Void> submit(JournalWrite write) {
    Pending pending = new Pending(write, new CompletableFuture<>());
    List<Pending> batch;
    synchronized (this) {
      waiting.add(pending);
      batch = nextBatch();
    }
    if (batch != null) {
      send(batch);
    }
    return pending.done();
  }

  /** Takes the next batch when a call may start; null otherwise. Caller holds the lock. */
  private List<Pending> nextBatch() {
    if (waiting.isEmpty() || callsInFlight >= maxCallsInFlight) {
      return null;
    }
    callsInFlight++;
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), 256));
    int events = 0;
    // A single write larger than the limit still goes, alone: an AtomicWrite is never split.
    while (!waiting.isEmpty()
        && (batch.isEmpty() || events + waiting.peek().write().events().size() <= maxEventsPerCall)) {
      Pending next = waiting.poll();
      events += next.write().events().size();
      batch.add(next);
    }
    return batch;
  }

  private void send(List<Pending> batch) {
    List<JournalWrite> writes = new ArrayList<>(batch.size());
    batch.forEach(p -> writes.add(p.write()));
    CompletionStage<List<Optional<String>>> call;
    try {
      call = redisWrite.apply(writes);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete(
        (outcomes, error) -> {
          List<Pending> next;
          synchronized (this) {
            callsInFlight--;
            next = nextBatch();
          }
          // The next call goes out before this batch's writers are answered, to keep Redis busy.
          if (next != null) {
            send(next);
          }
          // Answered in one task on the journal's dispatcher rather than on Lettuce's I/O thread: the
          // callbacks Pekko hangs on each write then join that task's batch instead of each being
          // submitted to the pool (and waking a thread) on its own.
          try {
            completer.execute(() -> complete(batch, outcomes, error));
          } catch (RejectedExecutionException shuttingDown) {
            complete(batch, outcomes, error);
          }
        });
  }

  private void complete(List<Pending> batch, List<Optional<String>> outcomes, Throwable error) {
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      if (error != null) {
        pending.done().completeExceptionally(error);
      } else if (outcomes.get(i).isPresent()) {
        pending.done().completeExceptionally(
            new RedisPersistenceException(
                "Redis at " + address + ": write events of " + pending.write().persistenceId()
                    + " failed: " + outcomes.get(i).get()));
      } else {
        pending.done().complete(null);
      }
    }
  }
}
