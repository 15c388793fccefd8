package io.gantry.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.protocol.JobOffer;
import io.gantry.protocol.WorkerProtocol.RunningAttempt;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a cluster worker tells its registry it holds: an attempt from its start until the Execution has decided on its
 * result, so that neither a running attempt nor a result on its way is declared lost.
 */
class WorkerHoldingsTest {
  final AttemptReporter reporter = new AttemptReporter(id -> {
    throw new AssertionError("nothing is reported here");
  });
  final WorkerHoldings holdings = new WorkerHoldings();

  AttemptContext start(String executionId, String jobId) {
    JobOffer offer = new JobOffer(executionId + ":" + jobId + ":1", executionId, jobId, "noop", 5, List.of(), null,
        null, "default", 0, null, null, 1, null, 0);
    AttemptContext context = new AttemptContext(offer, reporter);
    holdings.started(context, 1_000);
    return context;
  }

  AttemptResult result(AttemptContext c) {
    return new AttemptResult(c.executionId(), c.jobId(), c.attemptId(), "w1", true, null, null, null, 1_000, 2_000);
  }

  Set<String> held() {
    return holdings.holding().stream().map(RunningAttempt::attemptId).collect(Collectors.toSet());
  }

  @Test
  void anAttemptIsHeldFromItsStartUntilItsResultIsAcknowledged() {
    AttemptContext a = start("ex-1", "a");
    assertTrue(holdings.holds(a.attemptId()));
    assertEquals(List.of(new RunningAttempt("ex-1:a:1", "ex-1", "a")), holdings.holding());
    assertEquals(1, holdings.runningCount());

    WorkerHoldings.Running r = holdings.finished(a.attemptId());
    assertSame(a, r.context());
    assertEquals(1_000, r.startedAt());
    assertEquals(0, holdings.runningCount(), "it runs no more: its slot counts as free");
    assertFalse(holdings.holds(a.attemptId()), "not held between the handler's return and the result's send");

    AttemptResult result = result(a);
    holdings.awaitAnswer(result, 2_000);
    assertTrue(holdings.holds(a.attemptId()), "a second Run of it is ignored while its result is on its way");
    assertEquals(Set.of("ex-1:a:1"), held(), "listed in heartbeats until acknowledged");
    assertEquals(List.of(), holdings.unacknowledgedSince(2_000), "not due again yet");
    holdings.sent(a.attemptId(), 3_000);
    assertEquals(List.of(), holdings.unacknowledgedSince(3_000), "sent at 3,000");
    assertEquals(List.of(result), holdings.unacknowledgedSince(3_001), "due again: not acknowledged in time");
    assertEquals(List.of(), holdings.unacknowledgedSince(3_001), "counted as sent again, so queued once");

    holdings.acknowledged(a.attemptId());
    assertFalse(holdings.holds(a.attemptId()));
    assertEquals(List.of(), holdings.unacknowledgedSince(Long.MAX_VALUE), "acknowledged: never sent again");
    assertEquals(List.of(), holdings.holding());
  }

  @Test
  void runningAttemptsAndResultsOnTheirWayAreListedTogether() {
    AttemptContext a = start("ex-1", "a");
    AttemptContext b = start("ex:with:colons", "b");
    AttemptContext c = start("ex-2", "c");
    holdings.finished(b.attemptId());
    holdings.awaitAnswer(result(b), 2_000);
    assertEquals(Set.of(a.attemptId(), b.attemptId(), c.attemptId()), held());
    assertEquals(2, holdings.runningCount(), "the load counts running attempts only");
    assertTrue(holdings.holding().contains(new RunningAttempt("ex:with:colons:b:1", "ex:with:colons", "b")));
    assertNull(holdings.finished("ex-9:x:1"), "an attempt that was not running");
    assertNull(holdings.running(b.attemptId()));
    assertSame(c, holdings.running(c.attemptId()).context());
  }

  @Test
  void theExecutionHasDecidedWhenItAnsweredEitherWay() {
    assertTrue(AttemptReporter.decided(null), "stored");
    assertTrue(AttemptReporter.decided(new org.apache.pekko.pattern.StatusReply.ErrorMessage(
        "STALE_ATTEMPT: attempt ex-1:a:1 is no longer current")), "refused as stale");
    assertFalse(AttemptReporter.decided(new java.util.concurrent.TimeoutException("no answer")),
        "no answer: sent again");
  }
}
