package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.client.RedisPersistenceException;
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
 * in the order the journal received them: batches are taken and handed to the connection (which keeps
 * issue order) under one lock. Thread-safe: writes are submitted by the journal actor, batches complete
 * on Lettuce's I/O threads and are handled on the journal's dispatcher.
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
    synchronized (this) {
      waiting.add(pending);
      sendNextBatch();
    }
    return pending.done();
  }

  /**
   * Takes the next batch when a call may start and hands it to Redis, both under the lock: taken in
   * one order but handed over outside it, two batches could reach Redis the other way round, and the
   * journal refuses a write that comes after a later one of its persistence id. The connection only
   * queues the call here, it never waits for Redis. Caller holds the lock.
   */
  private void sendNextBatch() {
    if (waiting.isEmpty() || callsInFlight >= maxCallsInFlight) {
      return;
    }
    callsInFlight++;
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), 256));
    List<JournalWrite> writes = new ArrayList<>(batch.size());
    int events = 0;
    // A single write larger than the limit still goes, alone: an AtomicWrite is never split.
    while (!waiting.isEmpty()
        && (batch.isEmpty() || events + waiting.peek().write().events().size() <= maxEventsPerCall)) {
      Pending next = waiting.poll();
      events += next.write().events().size();
      batch.add(next);
      writes.add(next.write());
    }
    CompletionStage<List<Optional<String>>> call;
    try {
      call = redisWrite.apply(writes);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    // Handled on the journal's dispatcher, never inline: a call that failed at once would otherwise
    // send the next batch from within this one, under the lock. The writers of a batch are answered
    // in that one task too, so the callbacks Pekko hangs on each write join its batch instead of each
    // waking a pool thread on its own.
    call.whenCompleteAsync(
        (outcomes, error) -> {
          synchronized (this) {
            callsInFlight--;
            // The next call goes out before this batch's writers are answered, to keep Redis busy.
            sendNextBatch();
          }
          complete(batch, outcomes, error);
        },
        this::runOnCompleter);
  }

  private void runOnCompleter(Runnable task) {
    try {
      completer.execute(task);
    } catch (RejectedExecutionException shuttingDown) {
      task.run();
    }
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
