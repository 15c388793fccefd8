package io.gantry.testkit;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerProtocol;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gantry.Gantry;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.WorkerRegistration;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.pattern.StatusReply;

/**
 * A worker played by the test: registered in a pool's registry through the real protocol, it receives
 * {@link WorkerProtocol.Run} messages on a probe and reports back exactly as a worker node would.
 */
public final class ProbeWorker {
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
  private final Gantry gantry;
  private final TestProbe<WorkerProtocol.Command> probe;
  private final String workerId;
  private final String pool;
  private final ActorSystem<?> system;
  /** The cluster node it runs on: the test node's. */
  private final String node;

  private ProbeWorker(ActorSystem<?> system, Gantry gantry, TestProbe<WorkerProtocol.Command> probe, String workerId,
      String pool) {
    this.system = system;
    this.node = Cluster.get(system).selfMember().address().toString();
    this.gantry = gantry;
    this.probe = probe;
    this.workerId = workerId;
    this.pool = pool;
  }

  public static ProbeWorker register(TestNode node, String workerId, List<String> capabilities, int slots,
      WorkerRegistration.Metadata metadata) {
    Gantry gantry = node.gantry();
    TestProbe<WorkerProtocol.Command> probe = TestProbe.create(workerId, node.system());
    WorkerRegistration r = new WorkerRegistration(workerId, "cluster", "default", "test-host", 1L, capabilities,
        slots, List.of(), metadata, Cluster.get(node.system()).selfMember().address().toString());
    Await.result(gantry.registry("default").askWithStatus(
        (ActorRef<StatusReply<RegistryProtocol.Registered>> replyTo) ->
            new RegistryProtocol.Register(r, probe.ref(), List.of(), replyTo), ASK_TIMEOUT));
    return new ProbeWorker(node.system(), gantry, probe, workerId, "default");
  }

  public static ProbeWorker register(TestNode node, String workerId, int slots) {
    return register(node, workerId, List.of("cpu"), slots, new WorkerRegistration.Metadata(8, 16.0, 0, null, null));
  }

  public String id() {
    return workerId;
  }

  public TestProbe<WorkerProtocol.Command> probe() {
    return probe;
  }

  /** The next job this worker is given; it is reported started. */
  public JobOffer nextJob() {
    WorkerProtocol.Run run = probe.expectMessageClass(WorkerProtocol.Run.class, Duration.ofSeconds(10));
    JobOffer o = run.offer();
    gantry.execution(o.executionId()).tell(new ExecutionProtocol.ReportStarted(o.jobId(), o.attemptId(), workerId,
        node, System.currentTimeMillis()));
    return o;
  }

  public void expectNoJob(Duration within) {
    probe.expectNoMessage(within);
  }

  public void expectCancel(String attemptId) {
    var cancel = probe.expectMessageClass(WorkerProtocol.CancelAttempt.class, Duration.ofSeconds(10));
    assertEquals(attemptId, cancel.attemptId());
  }

  /** Reports the attempt finished (as a worker node does) and frees its slot; answers what the Execution said. */
  public StatusReply<Done> finish(JobOffer o, boolean success) {
    gantry.registry(pool).tell(new RegistryProtocol.AttemptEnded(workerId, o.attemptId()));
    TestProbe<StatusReply<Done>> reply = TestProbe.create(probe.getRef().path().name() + "-reply",
        system);
    long now = System.currentTimeMillis();
    gantry.execution(o.executionId()).tell(new ExecutionProtocol.ReportFinished(o.jobId(), o.attemptId(), workerId, success,
        success ? JsonNodeFactory.instance.objectNode().put("by", workerId) : null, success ? null : "failed on probe",
        null, now, now, reply.ref()));
    @SuppressWarnings("unchecked")
    StatusReply<Done> answer = reply.expectMessageClass(StatusReply.class, Duration.ofSeconds(10));
    return answer;
  }

  public void deregister() {
    Await.result(gantry.registry(pool).askWithStatus(
        (ActorRef<StatusReply<Done>> r) -> new RegistryProtocol.Deregister(workerId, r), ASK_TIMEOUT));
  }

}
