package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol.PolledJobs;
import io.gantry.registry.scheduling.PoolScheduler;
import io.gantry.registry.scheduling.QueuedAttempt;
import io.gantry.testkit.TestActorSystem;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP worker's long poll: it may be assigned up to its {@code max} while open, is answered with what it got (or
 * empty when its wait ends, at most 30 s), a newer poll answers the older one, and a stale expiry changes nothing.
 */
class LongPollsTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.local("long-polls");
  PoolScheduler scheduler;
  RecordingTimers timers;
  LongPolls polls;
  WorkerEntry w;

  @BeforeEach
  void setUp() {
    scheduler = new PoolScheduler(300_000, 0);
    timers = new RecordingTimers();
    polls = new LongPolls(scheduler, timers);
    w = new WorkerEntry(RegistryParts.http("h1", 4), null, 0);
    scheduler.upsertWorker(WorkerViews.profileOf(w.registration));
  }

  void queue(JobOffer o) {
    scheduler.offer(new QueuedAttempt(o.attemptId(), o.executionId(), o.jobId(), o.type(), o.priority(),
        WorkerViews.requirementsOf(o), o.concurrencyKey(), o.enqueuedAt(), o));
  }

  TestProbe<StatusReply<PolledJobs>> poll(int max) {
    TestProbe<StatusReply<PolledJobs>> probe = pekko.testKit().createTestProbe();
    polls.open(w, max, probe.getRef(), System.currentTimeMillis());
    return probe;
  }

  static List<JobOffer> jobs(TestProbe<StatusReply<PolledJobs>> probe) {
    StatusReply<PolledJobs> reply = probe.receiveMessage(Duration.ofSeconds(3));
    assertTrue(reply.isSuccess());
    return reply.getValue().jobs();
  }

  @Test
  void anOpenPollIsAssignedUpToItsMaxAndAnsweredWithWhatItGot() {
    JobOffer a = RegistryParts.offer("ex-1", "a");
    JobOffer b = RegistryParts.offer("ex-1", "b");
    JobOffer c = RegistryParts.offer("ex-1", "c");
    List.of(a, b, c).forEach(this::queue);
    assertEquals(0, scheduler.dispatch(System.currentTimeMillis()).size(), "an HTTP worker without a poll gets none");

    TestProbe<StatusReply<PolledJobs>> probe = poll(2);
    var assigned = scheduler.dispatch(System.currentTimeMillis());
    assertEquals(2, assigned.size(), "up to the poll's max");
    assigned.forEach(x -> assertTrue(polls.collect(w, (JobOffer) x.attempt().payload())));
    polls.answer(w);
    assertEquals(List.of(a.attemptId(), b.attemptId()), jobs(probe).stream().map(JobOffer::attemptId).toList());
    assertNull(w.poll);
    assertFalse(polls.collect(w, c), "no open poll: the caller gives the attempt back");
    assertEquals(0, scheduler.dispatch(System.currentTimeMillis()).size(), "answered: no credit left");
    assertFalse(timers.isTimerActive("poll:h1"));
  }

  @Test
  void aNewerPollAnswersTheOlderOneAndAStaleExpiryChangesNothing() {
    TestProbe<StatusReply<PolledJobs>> first = poll(1);
    polls.waitFor(w, 10_000);
    LongPolls.Expired firstExpiry = (LongPolls.Expired) timers.single.get("poll:h1").message();
    TestProbe<StatusReply<PolledJobs>> second = poll(1);
    assertEquals(List.of(), jobs(first), "the client gave up on the older one");

    polls.expired(w, firstExpiry);
    second.expectNoMessage(Duration.ofMillis(200));
    assertTrue(w.poll != null, "the newer poll stays open");

    polls.waitFor(w, 10_000);
    polls.expired(w, (LongPolls.Expired) timers.single.get("poll:h1").message());
    assertEquals(List.of(), jobs(second), "its wait ended: answered empty");
    assertNull(w.poll);
    polls.expired(null, firstExpiry); // a worker forgotten meanwhile
  }

  @Test
  void anEmptyPollWaitsAtMostThirtySecondsAndAFullOneNotAtAll() {
    poll(1);
    polls.waitFor(w, 120_000);
    assertEquals(Duration.ofSeconds(30), timers.single.get("poll:h1").delay());
    polls.waitFor(w, 1_500);
    assertEquals(Duration.ofMillis(1_500), timers.single.get("poll:h1").delay());
    polls.answer(w);
    assertFalse(timers.isTimerActive("poll:h1"), "answered: its timer is cancelled");

    TestProbe<StatusReply<PolledJobs>> probe = poll(1);
    polls.collect(w, RegistryParts.offer("ex-2", "x"));
    polls.waitFor(w, 10_000);
    assertFalse(timers.isTimerActive("poll:h1"), "something was assigned: the caller answers at once");
    polls.answer(w);
    assertEquals(1, jobs(probe).size());
  }

  @Test
  void aPollCountsAsAHeartbeatFromItsEnd() {
    w.lastHeartbeat = 0;
    polls.open(w, 1, pekko.testKit().<StatusReply<PolledJobs>>createTestProbe().getRef(), 5);
    assertEquals(5, w.lastHeartbeat, "alive when it polls");
    long before = System.currentTimeMillis();
    polls.answer(w);
    assertTrue(w.lastHeartbeat >= before, "its TTL runs from the poll's end");
  }
}
