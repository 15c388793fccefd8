package io.gantry.persistence.redis.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Group commit without Redis: a fake script call that completes when the test says so. */
class WriteBatcherTest {
  /** The calls the batcher made, each with its writes and the future the test completes. */
  private final List<List<JournalWrite>> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<CompletableFuture<List<Optional<String>>>> answers = Collections.synchronizedList(new ArrayList<>());

  private CompletionStage<List<Optional<String>>> call(List<JournalWrite> writes) {
    calls.add(writes);
    CompletableFuture<List<Optional<String>>> answer = new CompletableFuture<>();
    answers.add(answer);
    return answer;
  }

  private static JournalWrite write(String id, int events) {
    return new JournalWrite(id, IntStream.rangeClosed(1, events).mapToObj(seq -> new EncodedEvent(seq, new byte[0], List.of())).toList());
  }

  private static List<Optional<String>> allStored(int writes) {
    return Collections.nCopies(writes, Optional.empty());
  }

  @Test
  void sendsALoneWriteAtOnceAndBatchesWhatArrivesWhileCallsRun() {
    WriteBatcher batcher = new WriteBatcher(this::call, 1, 1000, "test", Runnable::run);
    CompletableFuture<Void> first = batcher.submit(write("a", 1));
    assertEquals(1, calls.size());
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (String id : List.of("b", "c", "a", "d")) {
      waiting.add(batcher.submit(write(id, 1)));
    }
    assertEquals(1, calls.size(), "nothing more is sent while the call runs");
    answers.get(0).complete(allStored(1));
    assertTrue(first.isDone() && !first.isCompletedExceptionally());
    assertEquals(2, calls.size());
    assertEquals(List.of("b", "c", "a", "d"), calls.get(1).stream().map(JournalWrite::persistenceId).toList(), "arrival order");
    assertTrue(waiting.stream().noneMatch(CompletableFuture::isDone));
    answers.get(1).complete(allStored(4));
    assertTrue(waiting.stream().allMatch(w -> w.isDone() && !w.isCompletedExceptionally()));
  }

  @Test
  void aRefusedWriteFailsAloneAndTheOthersOfItsCallAreStored() {
    WriteBatcher batcher = new WriteBatcher(this::call, 1, 1000, "test", Runnable::run);
    batcher.submit(write("first", 1));
    CompletableFuture<Void> refused = batcher.submit(write("broken", 1));
    CompletableFuture<Void> stored = batcher.submit(write("healthy", 1));
    answers.get(0).complete(allStored(1));
    answers.get(1).complete(List.of(Optional.of("WRONGTYPE"), Optional.empty()));
    assertTrue(refused.isCompletedExceptionally());
    assertTrue(stored.isDone() && !stored.isCompletedExceptionally());
    try {
      refused.join();
    } catch (Exception e) {
      assertTrue(e.getCause().getMessage().contains("broken") && e.getCause().getMessage().contains("WRONGTYPE"), e.getCause().getMessage());
    }
  }

  @Test
  void aFailedCallFailsItsWritesAndTheNextCallStillGoes() {
    WriteBatcher batcher = new WriteBatcher(this::call, 1, 1000, "test", Runnable::run);
    CompletableFuture<Void> lost = batcher.submit(write("a", 1));
    CompletableFuture<Void> next = batcher.submit(write("b", 1));
    answers.get(0).completeExceptionally(new IllegalStateException("connection lost"));
    assertTrue(lost.isCompletedExceptionally());
    assertEquals(2, calls.size());
    answers.get(1).complete(allStored(1));
    assertTrue(next.isDone() && !next.isCompletedExceptionally());
  }

  @Test
  void keepsCallsUnderTheEventLimitButNeverSplitsAWrite() {
    WriteBatcher batcher = new WriteBatcher(this::call, 1, 5, "test", Runnable::run);
    batcher.submit(write("first", 1));
    batcher.submit(write("a", 3));
    batcher.submit(write("b", 2));
    batcher.submit(write("big", 9));
    batcher.submit(write("c", 1));
    answers.get(0).complete(allStored(1));
    answers.get(1).complete(allStored(2));
    answers.get(2).complete(allStored(1));
    List<List<String>> ids = calls.stream().map(c -> c.stream().map(JournalWrite::persistenceId).toList()).toList();
    assertEquals(List.of(List.of("first"), List.of("a", "b"), List.of("big"), List.of("c")), ids);
  }

  @Test
  void runsUpToTheConfiguredCallsAtOnce() {
    WriteBatcher batcher = new WriteBatcher(this::call, 2, 1000, "test", Runnable::run);
    batcher.submit(write("a", 1));
    batcher.submit(write("b", 1));
    batcher.submit(write("c", 1));
    batcher.submit(write("d", 1));
    assertEquals(2, calls.size());
    answers.get(1).complete(allStored(1));
    assertEquals(3, calls.size());
    assertEquals(List.of("c", "d"), calls.get(2).stream().map(JournalWrite::persistenceId).toList());
  }

  /**
   * A call's answer arriving on another thread while the journal is still handing the previous batch
   * to Redis must not let the next batch overtake it: the script refuses a write after a later one.
   */
  @Test
  void batchesReachRedisInTheOrderTheyWereTaken() throws Exception {
    List<String> reachedRedis = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<List<Optional<String>>>> pending = Collections.synchronizedList(new ArrayList<>());
    WriteBatcher[] batcher = new WriteBatcher[1];
    Thread[] answerer = new Thread[1];
    batcher[0] =
        new WriteBatcher(
            writes -> {
              CompletableFuture<List<Optional<String>>> answer = new CompletableFuture<>();
              pending.add(answer);
              if (writes.get(0).persistenceId().equals("p2")) {
                // While p2 is being handed over, p3 arrives and the first call's answer comes back.
                answerer[0] = new Thread(() -> {
                  batcher[0].submit(write("p3", 1));
                  pending.get(0).complete(allStored(1));
                });
                answerer[0].start();
                sleep(300);
              }
              writes.forEach(w -> reachedRedis.add(w.persistenceId()));
              return answer;
            },
            2, 1000, "test", Runnable::run);
    batcher[0].submit(write("p1", 1));
    batcher[0].submit(write("p2", 1));
    answerer[0].join(10_000);
    assertEquals(List.of("p1", "p2", "p3"), reachedRedis);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
