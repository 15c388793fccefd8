package io.gantry.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerProtocol.RunningAttempt;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.testkit.TestActorSystem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cluster worker's reports, with its registry and the job's Execution played by probes: started, then the slot
 * freed and the result sent, repeated until the Execution answers (an error answer counts), and the attempt listed
 * in every heartbeat until then; a worker shutting down hands what it is given straight back.
 */
class WorkerAgentReportsTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.local("worker-agent-reports");
  TestProbe<RegistryProtocol.Command> registry;
  TestProbe<ExecutionProtocol.Command> execution;
  ActorRef<WorkerProtocol.Command> agent;
  final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void startAgent() {
    registry = pekko.testKit().createTestProbe();
    execution = pekko.testKit().createTestProbe();
    JobHandler waits = context -> {
      release.await(10, TimeUnit.SECONDS);
      return JobOutcome.succeeded(JsonNodeFactory.instance.textNode("out-" + context.jobId()));
    };
    WorkerRegistration registration = new WorkerRegistration("w1", "cluster", "default", "host", 1L, List.of("cpu"),
        2, List.of("wait"), null, "pekko://node@127.0.0.1:1");
    agent = pekko.testKit().spawn(WorkerAgent.create(new WorkerAgent.WorkerSettings(registration, 2),
        Map.of("wait", waits), registry.getRef(), id -> execution.getRef()));
    RegistryProtocol.Register register = registry.expectMessageClass(RegistryProtocol.Register.class);
    assertEquals(List.of(), register.running());
    register.replyTo().tell(StatusReply.success(new RegistryProtocol.Registered("w1", 5_000, 10_000)));
  }

  static JobOffer offer(String jobId) {
    return new JobOffer("ex-1:" + jobId + ":1", "ex-1", jobId, "wait", 5, List.of(), null, null, "default", 0, null,
        null, 1, null, 0);
  }

  /** The next heartbeat (every 2 s), acknowledged; answers what it lists. */
  List<RunningAttempt> nextHeartbeat() {
    RegistryProtocol.Heartbeat h = registry.expectMessageClass(RegistryProtocol.Heartbeat.class,
        Duration.ofSeconds(5));
    h.replyTo().tell(StatusReply.ack());
    return h.holding();
  }

  /** The next message of {@code type} the registry gets, heartbeats before it acknowledged. */
  <T extends RegistryProtocol.Command> T nextToRegistry(Class<T> type) {
    while (true) {
      RegistryProtocol.Command m = registry.receiveMessage(Duration.ofSeconds(5));
      if (type.isInstance(m)) {
        return type.cast(m);
      }
      if (m instanceof RegistryProtocol.Heartbeat h) {
        h.replyTo().tell(StatusReply.ack());
      } else {
        throw new AssertionError("expected " + type.getSimpleName() + ", got " + m);
      }
    }
  }

  @Test
  void aResultIsSentAgainUntilTheExecutionAnswersAndHeldMeanwhile() {
    JobOffer a = offer("a");
    agent.tell(new WorkerProtocol.Run(a));
    ExecutionProtocol.ReportStarted started = execution.expectMessageClass(ExecutionProtocol.ReportStarted.class);
    assertEquals("w1", started.workerId());
    assertEquals("pekko://node@127.0.0.1:1", started.workerNode());
    assertEquals(List.of(new RunningAttempt(a.attemptId(), "ex-1", "a")), nextHeartbeat(), "running: held");

    release.countDown();
    RegistryProtocol.AttemptEnded ended = nextToRegistry(RegistryProtocol.AttemptEnded.class);
    assertEquals(a.attemptId(), ended.attemptId(), "its slot is free at once");
    ExecutionProtocol.ReportResults firstMessage = execution.expectMessageClass(ExecutionProtocol.ReportResults.class);
    assertEquals(1, firstMessage.results().size());
    ExecutionProtocol.ReportFinished first = firstMessage.results().get(0);
    assertEquals(null, first.replyTo(), "told, not asked");
    assertTrue(first.success());
    assertEquals("out-a", first.output().asText());
    assertEquals("w1", first.workerId());

    // No answer (the Execution is moving): the result is held, then sent again.
    assertEquals(List.of(new RunningAttempt(a.attemptId(), "ex-1", "a")), nextHeartbeat(),
        "a result on its way is held");
    ExecutionProtocol.ReportResults againMessage = execution.expectMessageClass(ExecutionProtocol.ReportResults.class,
        Duration.ofSeconds(10));
    ExecutionProtocol.ReportFinished again = againMessage.results().get(0);
    assertEquals(first.attemptId(), again.attemptId());
    assertEquals(first.startedAt(), again.startedAt(), "the same result");
    assertEquals(first.finishedAt(), again.finishedAt());

    againMessage.ackTo().tell(new WorkerProtocol.ResultsAcknowledged(List.of(again.attemptId())));
    List<RunningAttempt> after = nextHeartbeat();
    after = after.isEmpty() ? after : nextHeartbeat(); // one may have left before the answer arrived
    assertEquals(List.of(), after, "acknowledged: held no more");
    execution.expectNoMessage(Duration.ofSeconds(6));
  }

  @Test
  void aRefusalDecidesToo() {
    JobOffer b = offer("b");
    agent.tell(new WorkerProtocol.Run(b));
    execution.expectMessageClass(ExecutionProtocol.ReportStarted.class);
    agent.tell(new WorkerProtocol.Run(b)); // delivered twice: run once
    release.countDown();
    ExecutionProtocol.ReportResults finished = execution.expectMessageClass(ExecutionProtocol.ReportResults.class);
    // A stale result is acknowledged like a stored one: the Execution decided on it.
    finished.ackTo().tell(new WorkerProtocol.ResultsAcknowledged(List.of(b.attemptId())));
    assertEquals(b.attemptId(), nextToRegistry(RegistryProtocol.AttemptEnded.class).attemptId(), "freed once");
    execution.expectNoMessage(Duration.ofSeconds(6));
    List<RunningAttempt> held = nextHeartbeat();
    assertFalse(held.stream().anyMatch(h -> h.attemptId().equals(b.attemptId())), "refused: not held");
  }

  @Test
  void aLeavingWorkerHandsWhatItIsGivenBack() {
    TestProbe<Done> left = pekko.testKit().createTestProbe();
    agent.tell(new WorkerProtocol.Leave(left.getRef()));
    left.expectMessage(Done.getInstance());
    nextToRegistry(RegistryProtocol.Deregister.class);
    JobOffer c = offer("c");
    agent.tell(new WorkerProtocol.Run(c));
    ExecutionProtocol.ReportLost lost = execution.expectMessageClass(ExecutionProtocol.ReportLost.class);
    assertEquals(c.attemptId(), lost.attemptId());
    assertEquals("worker shutting down", lost.reason());
    assertEquals(c.attemptId(), nextToRegistry(RegistryProtocol.AttemptEnded.class).attemptId());
  }
}
