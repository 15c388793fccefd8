package io.gantry.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol.PolledJobs;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When a worker stops counting, with the registry's parts driven directly: an HTTP worker silent past its TTL (an
 * open poll keeps it alive), a cluster worker unreachable past the grace or whose node was removed; what it ran is
 * reported lost to its Execution, and an offline entry is forgotten after the retention.
 */
class WorkerMembershipTest {
  static final Duration HEARTBEAT = Duration.ofSeconds(1); // HTTP TTL: 2 s
  static final Duration GRACE = Duration.ofSeconds(2);
  static final Duration RETENTION = Duration.ofSeconds(10);
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").build();
  RegistryParts parts;

  @BeforeEach
  void setUp() {
    parts = new RegistryParts(node.system(), RegistryParts.settings(HEARTBEAT, GRACE, RETENTION));
  }

  long now() {
    return System.currentTimeMillis();
  }

  ExecutionProtocol.ReportLost lost() {
    return parts.executions.expectMessageClass(ExecutionProtocol.ReportLost.class, Duration.ofSeconds(3));
  }

  /** An HTTP worker running {@code o}, handed out through a poll. */
  WorkerEntry httpWorkerRunning(String workerId, JobOffer o) {
    WorkerEntry w = parts.register(RegistryParts.http(workerId, 2), null);
    parts.dispatch.offer(List.of(o));
    TestProbe<StatusReply<PolledJobs>> poll = TestProbe.create(node.system());
    parts.polls.open(w, 1, poll.getRef(), now());
    parts.dispatch.dispatch();
    assertEquals(List.of(o), poll.receiveMessage().getValue().jobs());
    return w;
  }

  @Test
  void anHttpWorkerSilentPastItsTtlGoesOfflineAndWhatItRanIsLost() {
    JobOffer a = RegistryParts.offer("ex-1", "a");
    WorkerEntry w = httpWorkerRunning("h1", a);
    assertTrue(parts.dispatch.holds(a.attemptId()));
    assertFalse(parts.membership.expire(now() + 1_000), "within its TTL");
    assertNotNull(parts.membership.live("h1"));

    assertTrue(parts.membership.expire(now() + 2_500));
    assertNull(parts.membership.live("h1"));
    assertTrue(w.offline());
    ExecutionProtocol.ReportLost lost = lost();
    assertEquals(a.attemptId(), lost.attemptId());
    assertEquals("worker h1 expired (no heartbeat for 2000 ms)", lost.reason());
    assertFalse(parts.dispatch.holds(a.attemptId()), "its slot is gone with it");
    assertEquals("offline", new WorkerViews("default", parts.settings, parts.scheduler, parts.dispatch.running())
        .info(w, now()).status(), "still listed, as offline");
  }

  @Test
  void anOpenPollKeepsAnHttpWorkerAlive() {
    WorkerEntry w = parts.register(RegistryParts.http("h2", 1), null);
    parts.polls.open(w, 1, TestProbe.<StatusReply<PolledJobs>>create(node.system()).getRef(), now());
    assertFalse(parts.membership.expire(now() + 60_000));
    assertNotNull(parts.membership.live("h2"));
  }

  @Test
  void aClusterWorkerUnreachablePastTheGraceGoesOffline() {
    String address = "pekko://gantry@10.0.0.1:2551";
    TestProbe<WorkerProtocol.Command> agent = TestProbe.create(node.system());
    parts.register(RegistryParts.cluster("c1", address), agent.getRef());
    JobOffer b = RegistryParts.offer("ex-2", "b");
    parts.dispatch.offer(List.of(b));
    parts.dispatch.dispatch();
    assertEquals(b, agent.expectMessageClass(WorkerProtocol.Run.class).offer());

    parts.membership.reachability(address, false);
    assertFalse(parts.membership.expire(now() + 1_000), "within the grace");
    parts.membership.reachability(address, true);
    assertFalse(parts.membership.expire(now() + 10_000), "reachable again: it stays");

    parts.membership.reachability(address, false);
    parts.membership.reachability("pekko://gantry@10.0.0.2:2551", true); // another node: no effect
    assertTrue(parts.membership.expire(now() + 2_500));
    assertNull(parts.membership.live("c1"));
    ExecutionProtocol.ReportLost lost = lost();
    assertEquals(b.attemptId(), lost.attemptId());
    assertEquals("worker c1 unreachable for more than 2000 ms", lost.reason());
  }

  @Test
  void aRemovedNodeTakesItsWorkersAlongAndOfflineEntriesAreForgottenLater() {
    String address = "pekko://gantry@10.0.0.3:2551";
    parts.register(RegistryParts.cluster("c2", address), TestProbe.<WorkerProtocol.Command>create(node.system())
        .getRef());
    assertFalse(parts.membership.nodeRemoved("pekko://gantry@10.0.0.4:2551"));
    assertTrue(parts.membership.nodeRemoved(address));
    assertNull(parts.membership.live("c2"));
    assertFalse(parts.membership.nodeRemoved(address), "already offline");
    parts.executions.expectNoMessage(Duration.ofMillis(200)); // it ran nothing

    assertFalse(parts.membership.expire(now() + 5_000));
    assertTrue(parts.workers.containsKey("c2"), "listed as offline for a while");
    parts.membership.expire(now() + RETENTION.toMillis() + 1_000);
    assertFalse(parts.workers.containsKey("c2"), "then forgotten");

    WorkerEntry again = parts.register(RegistryParts.cluster("c2", address), null);
    assertFalse(again.offline(), "registering again makes a new, live entry");
  }

  @Test
  void aDeregisteredWorkersAttemptsAreLostAtOnce() {
    JobOffer c = RegistryParts.offer("ex-3", "c");
    WorkerEntry w = httpWorkerRunning("h3", c);
    parts.membership.takeOffline(w, "deregistered");
    assertEquals("worker h3 deregistered", lost().reason());
    assertTrue(parts.scheduler.worker("h3").isEmpty(), "the scheduler assigns it nothing more");
  }
}
