package io.gantry.registry.scheduling;

import static io.gantry.registry.scheduling.AttemptBuilder.attempt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What one queued attempt keeps in the scheduler (issue 9: under 1 KiB of heap per queued job at 100,000 queued):
 * an attempt without a concurrency key sits in one ordered set of its bucket, not two, and an attempt that needs
 * nothing shares one requirements instance. Listings and stats still see every entry, keyed or not, oldest first.
 */
class QueuedEntryFootprintTest {

  @Test
  void anUnkeyedEntryIsInOneOrderedSetOnly() {
    AttemptQueue queue = new AttemptQueue(0);
    QueuedAttempt first = attempt("a0").at(0).build();
    RequirementClass c = queue.addClass(RequirementKey.of(first));
    for (int i = 0; i < 1000; i++) {
      queue.enqueue(attempt("a" + i).at(i).build(), c);
    }
    Bucket bucket = c.buckets[5];
    assertEquals(1000, bucket.size);
    assertEquals(1000, bucket.ready.size());
    assertTrue(bucket.keyed.isEmpty(), "unkeyed entries are not kept a second time");
    assertEquals("a0", bucket.oldest().attempt.attemptId());
  }

  @Test
  void keyedAndUnkeyedEntriesAreAllListedOldestFirst() {
    AttemptQueue queue = new AttemptQueue(0);
    RequirementClass c = queue.addClass(RequirementKey.of(attempt("x").build()));
    // Odd times hold a key ("k", so only the first of them is ready), even times none.
    for (int i = 0; i < 10; i++) {
      AttemptBuilder b = attempt("a" + i).at(100 - i);
      queue.enqueue((i % 2 == 1 ? b.key("k") : b).build(), c);
    }
    Bucket bucket = c.buckets[5];
    assertEquals(10, bucket.size);
    assertEquals(5, bucket.keyed.size());
    assertEquals(6, bucket.ready.size(), "5 unkeyed + the oldest of the key group");
    List<String> listed = queue.mostUrgentFirst(100, 0).stream().map(QueuedAttempt::attemptId).toList();
    assertEquals(List.of("a9", "a8", "a7", "a6", "a5", "a4", "a3", "a2", "a1", "a0"), listed);
    assertEquals("a9", bucket.oldest().attempt.attemptId());

    queue.withdraw("a9");
    queue.withdraw("a8");
    assertEquals(8, bucket.size);
    assertEquals(4, bucket.keyed.size());
    assertEquals("a7", bucket.oldest().attempt.attemptId());
    assertEquals(8, queue.drain().size());
    assertEquals(0, bucket.size);
    assertTrue(bucket.ready.isEmpty() && bucket.keyed.isEmpty());
  }

  @Test
  void statsCountEveryQueuedEntry() {
    PoolScheduler scheduler = new PoolScheduler(0, 0);
    for (int i = 0; i < 6; i++) {
      AttemptBuilder b = attempt("a" + i).at(10 + i);
      scheduler.offer((i < 3 ? b.key("k" + i % 2) : b).build());
    }
    SchedulerStats stats = scheduler.stats(100);
    assertEquals(6, stats.queued());
    assertEquals(6, stats.queuedByPriority().get(5));
    assertEquals(90, stats.oldestQueuedAgeMs());
  }

  @Test
  void attemptsThatNeedNothingShareOneRequirements() {
    QueuedAttempt a = new QueuedAttempt("a", "e", "j", "t", 5,
        new JobRequirements(Set.of(), null, null, false, null), null, 0, null);
    QueuedAttempt b = new QueuedAttempt("b", "e", "j", "t", 5, null, null, 0, null);
    assertSame(JobRequirements.NONE, a.requirements());
    assertSame(JobRequirements.NONE, b.requirements());
    QueuedAttempt gpu = new QueuedAttempt("c", "e", "j", "t", 5,
        new JobRequirements(Set.of("gpu"), null, null, true, null), null, 0, null);
    assertEquals(Set.of("gpu"), gpu.requirements().capabilities());
  }
}
