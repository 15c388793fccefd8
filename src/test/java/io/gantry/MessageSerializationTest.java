package io.gantry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.gantry.dag.DagParser;
import io.gantry.dag.Requirements;
import io.gantry.execution.ExecutionEvent;
import io.gantry.execution.ExecutionSnapshot;
import io.gantry.protocol.AttemptRecord;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.JobResult;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.QueueStats;
import io.gantry.protocol.SubmitAccepted;
import io.gantry.protocol.TrackedAttempt;
import io.gantry.protocol.WorkerInfo;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.testkit.TestActorSystem;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every message and reply that crosses nodes or goes into the journal survives Pekko serialization (CBOR through
 * Jackson) unchanged: Java serialization is off, so anything else would fail only in a multi-node cluster.
 */
class MessageSerializationTest {
  // A local provider is enough to serialize (and binds no port); the bindings come from reference.conf.
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("serialization", prefix -> com.typesafe.config.ConfigFactory
      .parseString("pekko.actor.provider = local").withFallback(com.typesafe.config.ConfigFactory.load()));
  static ActorTestKit kit;
  static SerializationTestKit serialization;

  @BeforeAll
  static void start() {
    kit = pekko.testKit();
    serialization = new SerializationTestKit(kit.system());
  }

  static void roundTrips(Object message) {
    serialization.verifySerialization(message, true);
  }

  static JobOffer offer() {
    return new JobOffer("e:a:1", "e", "a", "shell", 8, List.of("gpu"), new Requirements(16.0, 4, true, 1), "key",
        "default", 1000, JsonNodeFactory.instance.objectNode().put("x", 1),
        JsonNodeFactory.instance.objectNode().set("dep", JsonNodeFactory.instance.objectNode().put("y", 2)), 2,
        JsonNodeFactory.instance.objectNode().put("epoch", 3), 42);
  }

  @Test
  void executionProtocolAndEvents() {
    TestProbe<StatusReply<SubmitAccepted>> probe = kit.createTestProbe();
    var doc = DagParser.parse("{\"workflowId\":\"w\",\"jobs\":[{\"id\":\"a\",\"type\":\"noop\",\"config\":{\"k\":[1,2]}}]}");
    serialization.verifySerialization(new ExecutionProtocol.Submit(doc, probe.getRef()), true);
    var by = new io.gantry.protocol.Principal("ci", "submit");
    serialization.verifySerialization(new ExecutionProtocol.Submit(doc, by, probe.getRef()), true);
    TestProbe<StatusReply<io.gantry.protocol.ExecutionState>> state = kit.createTestProbe();
    serialization.verifySerialization(new ExecutionProtocol.Cancel(by, state.getRef()), true);
    serialization.verifySerialization(new ExecutionProtocol.CancelJob("a", by, state.getRef()), true);
    roundTrips(new ExecutionEvent.Submitted(doc, 1, by));
    roundTrips(new ExecutionEvent.JobCancelled("a", "e:a:1", 3, by));
    roundTrips(new ExecutionProtocol.ReportFinished("a", "e:a:1", "w1", true, JsonNodeFactory.instance.objectNode().put("o", 1),
        null, "logs", 1, 2, null));
    roundTrips(new ExecutionProtocol.ReportProgress("a", "e:a:1", 40.0, "half", JsonNodeFactory.instance.objectNode(), null));
    roundTrips(new ExecutionProtocol.ReportProgress("a", "e:a:1", null, null, JsonNodeFactory.instance.nullNode(), "w1", null,
        "line 1\nline 2\n"));
    roundTrips(new ExecutionProtocol.ReportLost("a", "e:a:1", "gone"));
    TestProbe<io.gantry.protocol.WorkerProtocol.ResultsAcknowledged> acks = kit.createTestProbe();
    serialization.verifySerialization(new ExecutionProtocol.ReportResults(List.of(
        new ExecutionProtocol.ReportFinished("a", "e:a:1", "w1", true, JsonNodeFactory.instance.textNode("x"), null,
            null, 1, 2, null),
        new ExecutionProtocol.ReportFinished("b", "e:b:2", "w1", false, JsonNodeFactory.instance.objectNode(), "boom",
            "logs", 3, 4, null)),
        acks.getRef()), true);
    roundTrips(new io.gantry.protocol.WorkerProtocol.ResultsAcknowledged(List.of("e:a:1", "e:b:2")));
    roundTrips(new ExecutionProtocol.ReportStarted("a", "e:a:1", "w1", "pekko://gantry@h:2551", 1));
    roundTrips(new ExecutionProtocol.ReportStarted("a", "e:a:1", "http-1", null, 1));
    roundTrips(new ExecutionEvent.JobStarted("a", "e:a:1", "w1", "pekko://gantry@h:2551", 1));
    roundTrips(new ExecutionEvent.JobStarted("a", "e:a:1", "http-1", null, 1));
    roundTrips(ExecutionProtocol.Reoffer.INSTANCE);
    TestProbe<org.apache.pekko.Done> done = kit.createTestProbe();
    roundTrips(new ExecutionProtocol.Forget(done.getRef()));
    roundTrips(new ExecutionEvent.Submitted(doc, 1));
    roundTrips(new ExecutionEvent.JobsQueued(List.of(new ExecutionEvent.QueuedAttempt("a", "e:a:1")), 1));
    roundTrips(new ExecutionEvent.JobFailed("a", "e:a:1", "boom", null, true, 5L, 1));
    roundTrips(new ExecutionEvent.Finished(ExecutionStatus.COMPLETED, 2));
    roundTrips(new ExecutionEvent.JobCancelled("a", "e:a:1", 3));
    roundTrips(new SubmitAccepted("e", "w", ExecutionStatus.RUNNING, true));
    roundTrips(new JobResult("a", true, JsonNodeFactory.instance.numberNode(1), null, null, 1L, 2L, "w1", 1, 1));
  }

  /** Serializes {@code value}, drops {@code field} from the stored form (as written before it existed), reads it. */
  static Object withoutField(Object value, String field, java.util.function.Consumer<ObjectNode> drop)
      throws Exception {
    Serialization s = SerializationExtension.get(Adapter.toClassic(kit.system()));
    SerializerWithStringManifest serializer = (SerializerWithStringManifest) s.findSerializerFor(value);
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    ObjectNode tree = (ObjectNode) cbor.readTree(serializer.toBinary(value));
    assertTrue(tree.toString().contains(field), "the stored form has " + field + ": " + tree);
    drop.accept(tree);
    assertFalse(tree.toString().contains(field), tree.toString());
    return serializer.fromBinary(cbor.writeValueAsBytes(tree), serializer.manifest(value));
  }

  @Test
  void eventsAndSnapshotsWrittenBeforeTheWorkerNodeReadWithoutIt() throws Exception {
    var started = new ExecutionEvent.JobStarted("a", "e:a:1", "w1", "pekko://gantry@h:2551", 7);
    assertEquals(new ExecutionEvent.JobStarted("a", "e:a:1", "w1", null, 7),
        withoutField(started, "workerNode", t -> t.remove("workerNode")));

    var job = new ExecutionSnapshot.Job(JobStatus.RUNNING, 1, 1, 0, "e:a:1", "w1", 1L, 2L, null, null, null, null,
        null, null, null, 0, List.of(new AttemptRecord("e:a:1", 1, "w1", 2L, null, "running", null)),
        "pekko://gantry@h:2551");
    var snapshot = new ExecutionSnapshot("e", null, ExecutionStatus.RUNNING, 1, 2L, null, null, List.of(job));
    var read = (ExecutionSnapshot) withoutField(snapshot, "workerNode",
        t -> ((ObjectNode) t.get("jobs").get(0)).remove("workerNode"));
    assertNull(read.jobs().get(0).workerNode());
    assertEquals("w1", read.jobs().get(0).workerId());
    assertEquals(job.history(), read.jobs().get(0).history());
  }

  @Test
  void registryAndWorkerProtocols() {
    WorkerRegistration registration = new WorkerRegistration("w1", "cluster", "default", "h", 1L, List.of("cpu"), 4,
        List.of("shell"), new WorkerRegistration.Metadata(8, 16.0, 0, "1", "linux"), "pekko://gantry@h:2551");
    TestProbe<WorkerProtocol.Command> agent = kit.createTestProbe();
    TestProbe<StatusReply<RegistryProtocol.Registered>> registered = kit.createTestProbe();
    roundTrips(new RegistryProtocol.Offer(List.of(offer())));
    roundTrips(new RegistryProtocol.Track("e", List.of(new TrackedAttempt("e:a:1", "a", "w1", "pekko://gantry@h:2551"),
        new TrackedAttempt("e:b:1", "b", "http-1", null))));
    roundTrips(new RegistryProtocol.Register(registration, agent.getRef(),
        List.of(new WorkerProtocol.RunningAttempt("e:a:1", "e", "a")), registered.getRef()));
    roundTrips(new RegistryProtocol.Registered("w1", 30000, 60000));
    TestProbe<StatusReply<org.apache.pekko.Done>> acked = kit.createTestProbe();
    roundTrips(new RegistryProtocol.Heartbeat("w1", 1, List.of(new WorkerProtocol.RunningAttempt("e:a:1", "e", "a")),
        acked.getRef()));
    roundTrips(new RegistryProtocol.PolledJobs(List.of(offer())));
    roundTrips(new RegistryProtocol.Workers(List.of(new WorkerInfo("w1", "cluster", "default", "h", 1L, List.of("cpu"),
        List.of(), 4, 1, 0.25, 1, 2, "active", registration.metadata(),
        List.of(new WorkerInfo.AssignedJob("e:a:1", "e", "a"))))));
    roundTrips(new RegistryProtocol.Explanation("e:a:1", "capacity-full"));
    roundTrips(new QueueStats("default", 1, 2, false, 3, Map.of("idle", 3), Map.of("cpu", 3), 12, 2, 0.16,
        Map.of("5", 1), Map.of("gpu", new QueueStats.Backlog(1, 10)), 10, 5));
    roundTrips(new WorkerProtocol.Run(offer()));
    roundTrips(new WorkerProtocol.CancelAttempt("e:a:1"));
  }
}
