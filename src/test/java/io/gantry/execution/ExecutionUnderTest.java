package io.gantry.execution;

import io.gantry.protocol.AttemptIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionPage;
import io.gantry.protocol.ExecutionProtocol.Command;
import io.gantry.protocol.ExecutionProtocol.ReportFinished;
import io.gantry.protocol.ExecutionProtocol.ReportStarted;
import io.gantry.protocol.ExecutionProtocol.Submit;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobDetail;
import io.gantry.protocol.QueueJobPage;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.SubmitAccepted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * One Execution entity on the persistence testkit's in-memory journal and snapshot store, with probes for all it
 * tells: its pools' registry, the execution index and its shard. Commands and events go through serialization.
 */
final class ExecutionUnderTest {

  /** The test system: Gantry's own reference config (serialization bindings) on the testkit's stores, no cluster. */
  static final Config CONFIG = EventSourcedBehaviorTestKit.config()
      .withFallback(PersistenceTestKitSnapshotPlugin.config())
      .withFallback(ConfigFactory.parseString("pekko.actor.provider = local"))
      .withFallback(ConfigFactory.load());

  /** What the entity wrote to the execution index. */
  record IndexWrite(String what, ExecutionStatus status) {}

  final String executionId = "ex-" + UUID.randomUUID();
  final String persistenceId = Execution.persistenceId(executionId).id();
  final TestProbe<RegistryProtocol.Command> registry;
  final TestProbe<IndexWrite> index;
  final TestProbe<ClusterSharding.ShardCommand> shard;
  final ExecutionSettings settings;
  final EventSourcedBehaviorTestKit<Command, ExecutionEvent, Phase> kit;

  ExecutionUnderTest(ActorTestKit testKit, int snapshotEvery, Duration passivateAfter) {
    registry = testKit.createTestProbe(RegistryProtocol.Command.class);
    index = testKit.createTestProbe(IndexWrite.class);
    shard = testKit.createTestProbe(ClusterSharding.ShardCommand.class);
    settings = new ExecutionSettings(snapshotEvery, passivateAfter, new ProbeIndex(index),
        pool -> registry.ref());
    // The state is not a message (snapshots go through the adapter), so only commands and events are serialized.
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), Execution.create(executionId, settings, shard.ref()),
        EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyState(false));
  }

  String attempt(String jobId, int n) {
    return AttemptIds.of(executionId, jobId, n);
  }

  CommandResultWithReply<Command, ExecutionEvent, Phase, StatusReply<SubmitAccepted>> submit(String json) {
    return kit.runCommand(replyTo -> new Submit(DagParser.parse(json), replyTo));
  }

  CommandResult<Command, ExecutionEvent, Phase> started(String jobId, int n) {
    return kit.runCommand(new ReportStarted(jobId, attempt(jobId, n), "w1", "node-1", System.currentTimeMillis()));
  }

  CommandResultWithReply<Command, ExecutionEvent, Phase, StatusReply<Done>> finished(String jobId, int n,
      boolean success, JsonNode output, String error) {
    long now = System.currentTimeMillis();
    return kit.runCommand(replyTo -> new ReportFinished(jobId, attempt(jobId, n), "w1", success, output, error,
        "log of " + jobId, now - 5, now, replyTo));
  }

  /** The attempt ids of the next offer the registry gets. */
  List<String> expectOffer() {
    RegistryProtocol.Offer offer = registry.expectMessageClass(RegistryProtocol.Offer.class, Duration.ofSeconds(10));
    List<String> ids = new ArrayList<>();
    offer.offers().forEach(o -> {
      assertEquals(executionId, o.executionId());
      ids.add(o.attemptId());
    });
    return ids;
  }

  List<String> expectCancelOnWorkers() {
    return registry.expectMessageClass(RegistryProtocol.CancelAttempts.class, Duration.ofSeconds(10)).attemptIds();
  }

  void expectIndexWrite(String what, ExecutionStatus status) {
    assertEquals(new IndexWrite(what, status), index.expectMessageClass(IndexWrite.class, Duration.ofSeconds(10)));
  }

  void expectNothingTold() {
    registry.expectNoMessage(Duration.ofMillis(200));
    index.expectNoMessage(Duration.ofMillis(1));
  }

  RunState run() {
    return kit.getState().run();
  }

  /** Everything the API can see of the run: the execution's view and every job's detail. */
  static List<Object> views(Phase phase) {
    List<Object> views = new ArrayList<>();
    views.add(phase.getClass());
    views.add(ExecutionViews.state(phase.run()));
    for (int i = 0; i < phase.run().jobs.length; i++) {
      views.add(ExecutionViews.job(phase.run(), i));
    }
    return views;
  }

  static List<Class<?>> types(List<ExecutionEvent> events) {
    return events.stream().<Class<?>>map(Object::getClass).toList();
  }

  static void assertFailure(StatusReply<?> reply, String codeAndStart) {
    assertTrue(reply.isError(), "expected a refusal, got " + reply);
    String message = reply.getError().getMessage();
    assertTrue(message.startsWith(codeAndStart), "expected '" + codeAndStart + "...', got '" + message + "'");
  }

  static JobDetail jobOf(Phase phase, String jobId) {
    return ExecutionViews.job(phase.run(), phase.run().dag.indexOf(jobId));
  }

  /** The index as the entity sees it; it only ever records statuses, so the queries are not part of this test. */
  record ProbeIndex(TestProbe<IndexWrite> probe) implements ExecutionIndex {
    @Override
    public void recordStatus(String executionId, ExecutionStatus status, Long completedAt) {
      probe.ref().tell(new IndexWrite("status", status));
    }

    @Override
    public void recordReopened(String executionId, ExecutionStatus status) {
      probe.ref().tell(new IndexWrite("reopened", status));
    }

    @Override
    public CompletionStage<Void> recordSubmitted(String executionId, String workflowId, int jobCount, long at) {
      throw new UnsupportedOperationException("an Execution never indexes its own submission");
    }

    @Override
    public CompletionStage<List<String>> liveExecutions() {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<Void> remove(String executionId) {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<ExecutionPage> list(String workflowId, ExecutionStatus status, int limit, String cursor) {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<List<String>> finishedBefore(ExecutionStatus status, long endedBefore, int limit) {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<QueueJobPage> listQueueJobs(Set<ExecutionStatus> statuses,
        Set<ExecutionStatus> sharedStatuses, int limit, String cursor) {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<List<Boolean>> recordQueueExecutions(List<QueueExecution> executions, long at) {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    /** Not sent to the probe: these tests follow status writes; job counts are checked in Redis (QueueBulkTest). */
    @Override
    public void recordJobCounts(String executionId, int completed, int failed, int cancelled) {
    }

    @Override
    public CompletionStage<java.util.Map<io.gantry.protocol.JobStatus, Long>> jobCounts() {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<Long> finishedCount(ExecutionStatus status) {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<Long> liveCount() {
      throw new UnsupportedOperationException("not an Execution's query");
    }

    @Override
    public CompletionStage<List<String>> sampleLive(int max) {
      throw new UnsupportedOperationException("not an Execution's query");
    }
  }
}
