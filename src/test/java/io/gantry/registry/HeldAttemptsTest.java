package io.gantry.registry;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.TrackedAttempt;
import io.gantry.protocol.WorkerProtocol;
import io.gantry.protocol.WorkerRegistration;
import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.JobStatus;
import io.gantry.testkit.Await;
import io.gantry.testkit.ProbeWorker;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the registry does with attempts it did not assign, with workers played by the test: an attempt of a live worker
 * is lost only when that worker says it does not hold it, one whose worker's node is not in the cluster at once, and a
 * superseded attempt a worker comes back with is stopped, never adopted.
 */
class HeldAttemptsTest {
  @RegisterExtension
  final TestNode node = TestNode.builder().roles("orchestrator").build();

  /** Submits a one-job execution and returns its job's attempt once {@code w} runs it. */
  JobOffer oneJobRunningOn(ProbeWorker w) {
    String id = Await.result(node.gantry().submit(DagParser.parse(
        "{\"workflowId\": \"held\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}"))).executionId();
    JobOffer a = w.nextJob();
    Await.until(() -> status(id).jobs().get("a").status(), s -> s == JobStatus.RUNNING, Duration.ofSeconds(10),
        "a running");
    return a;
  }

  /** The attempt's slot freed at the registry with no result recorded (as after a failed write). */
  void slotFreed(ProbeWorker w, JobOffer a) {
    node.gantry().registry("default").tell(new RegistryProtocol.AttemptEnded(w.id(), a.attemptId()));
  }

  /** The slot freed, then the Execution re-offers what it has in flight: the registry now tracks the attempt. */
  void slotFreedAndReoffered(ProbeWorker w, JobOffer a) {
    slotFreed(w, a);
    node.gantry().execution(a.executionId()).tell(ExecutionProtocol.Reoffer.INSTANCE);
  }

  ExecutionState completed(String id) {
    ExecutionState done = Await.until(() -> status(id), s -> s.status().finished(), Duration.ofSeconds(10), "done");
    assertEquals(ExecutionStatus.COMPLETED, done.status());
    return done;
  }

  ExecutionState status(String id) {
    return Await.result(node.gantry().status(id));
  }

  void heartbeat(String workerId, List<WorkerProtocol.RunningAttempt> holding) {
    Await.result(node.gantry().registry("default").askWithStatus(
        (ActorRef<StatusReply<Done>> r) -> new RegistryProtocol.Heartbeat(workerId, 0, holding, r),
        Duration.ofSeconds(10)));
  }

  static WorkerProtocol.RunningAttempt held(JobOffer o) {
    return new WorkerProtocol.RunningAttempt(o.attemptId(), o.executionId(), o.jobId());
  }

  @Test
  void aTrackedAttemptOfALiveWorkerWaitsForWhatTheWorkerSays() {
    ProbeWorker w = ProbeWorker.register(node, "alive", 2);
    JobOffer a = oneJobRunningOn(w);
    String id = a.executionId();
    // As after a failed write: the slot is free, the result not yet recorded, and the Execution tracks the attempt
    // (with the worker's node, a member: so the registry waits for that worker, whatever the grace).
    slotFreedAndReoffered(w, a);
    w.expectNoJob(Duration.ofSeconds(3));
    assertEquals(1, status(id).jobs().get("a").attempts(), "no loss while the worker has not spoken");

    heartbeat(w.id(), List.of(held(a)));
    w.expectNoJob(Duration.ofSeconds(1));
    assertTrue(w.finish(a, true).isSuccess(), "the late result is recorded");
    ExecutionState done = completed(id);
    assertEquals(1, done.jobs().get("a").attempts());
  }

  @Test
  void aTrackedAttemptWhoseWorkerNodeIsNoMemberIsLostAtOnce() {
    ProbeWorker w = ProbeWorker.register(node, "survivor", 2);
    JobOffer a = oneJobRunningOn(w);
    String id = a.executionId();
    // As a woken Execution tells a new registry after a node died with its worker: this registry never saw that
    // worker, and the node it ran on is not in the cluster (any more).
    String gone = "pekko://gantry@127.0.0.1:1";
    slotFreed(w, a);
    long tracked = System.currentTimeMillis();
    node.gantry().registry("default").tell(new RegistryProtocol.Track(id,
        List.of(new TrackedAttempt(a.attemptId(), "a", "died-with-its-node", gone))));
    var again = w.nextJob();
    long took = System.currentTimeMillis() - tracked;
    assertEquals(id + ":a:2", again.attemptId());
    // The reason tells it from a loss at the end of the grace ("no worker holds it").
    var history = Await.result(node.gantry().job(id, "a")).attemptHistory();
    assertEquals("lost", history.get(0).outcome());
    assertEquals("worker node " + gone + " left the cluster", history.get(0).error());
    assertTrue(took < 5000, "lost at once, not after the orphan grace: " + took + " ms");
    assertTrue(w.finish(again, true).isSuccess());
    completed(id);
  }

  @Test
  void aTrackedAttemptTheLiveWorkerLeavesOutIsLostAndRunsAgain() {
    ProbeWorker w = ProbeWorker.register(node, "forgetful", 2);
    JobOffer a = oneJobRunningOn(w);
    String id = a.executionId();
    slotFreedAndReoffered(w, a);
    w.expectNoJob(Duration.ofMillis(1500));

    heartbeat(w.id(), List.of());
    var again = w.nextJob();
    assertEquals(id + ":a:2", again.attemptId());
    assertTrue(status(id).jobs().get("a").status() != JobStatus.COMPLETED);
    assertFalse(w.finish(a, true).isSuccess(), "the lost attempt's result is refused");
    assertTrue(w.finish(again, true).isSuccess());
  }

  @Test
  void aSupersededAttemptAWorkerComesBackWithIsStoppedNotAdopted() {
    ProbeWorker old = ProbeWorker.register(node, "returning", 1);
    JobOffer first = oneJobRunningOn(old);
    String id = first.executionId();
    // The worker is gone for the registry (as after the grace of an unreachable node): its attempt runs elsewhere.
    old.deregister();
    ProbeWorker other = ProbeWorker.register(node, "other", 1);
    var second = other.nextJob();
    assertEquals(id + ":a:2", second.attemptId());

    // It comes back and registers with the attempt it still runs: the registry stops it.
    WorkerRegistration r = new WorkerRegistration(old.id(), "cluster", "default", "test-host", 1L, List.of("cpu"), 1,
        List.of(), new WorkerRegistration.Metadata(8, 16.0, 0, null, null), "test://" + old.id());
    Await.result(node.gantry().registry("default").askWithStatus(
        (ActorRef<StatusReply<RegistryProtocol.Registered>> replyTo) ->
            new RegistryProtocol.Register(r, old.probe().ref(), List.of(held(first)), replyTo), Duration.ofSeconds(10)));
    old.expectCancel(first.attemptId());

    // The same when a worker heartbeats with a superseded attempt the registry did not know of.
    heartbeat(old.id(), List.of(held(first)));
    old.expectCancel(first.attemptId());

    assertTrue(other.finish(second, true).isSuccess());
    ExecutionState done = completed(id);
    assertEquals(2, done.jobs().get("a").attempts());
    // Once stopped, the worker no longer lists it, and the registry no longer counts it.
    heartbeat(old.id(), List.of());
    assertEquals(List.of(), Await.result(node.gantry().worker("default", old.id())).assignedJobs());
  }
}
