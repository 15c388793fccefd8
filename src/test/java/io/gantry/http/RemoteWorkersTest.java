package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.internal.Asking;
import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.GantryException;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobOffer;
import io.gantry.protocol.JobResult;
import io.gantry.protocol.JobStatus;
import io.gantry.protocol.WorkerRegistration;
import io.gantry.redis.GantryRedis;
import io.gantry.registry.cluster.HttpWorkerPools;
import io.gantry.worker.remote.RemoteWorkers;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The HTTP workers' runtime without HTTP, on the cluster access the API node gives it: what it hands out is reported
 * started at once, a result's run time is the worker's own figure or else runs from the hand-out, and a complete
 * frees the slot whatever the Execution answers.
 */
class RemoteWorkersTest {
  // No worker role: only the HTTP worker of each test takes jobs.
  @RegisterExtension
  static final TestNode node = TestNode.builder().roles("orchestrator").build();
  static RemoteWorkers workers;

  @BeforeAll
  static void start() {
    workers = new RemoteWorkers(node.system(),
        new FacadeAccess(node.gantry(), new Asking(node.system(), Duration.ofSeconds(10))),
        new HttpWorkerPools(GantryRedis.get(node.system())));
  }

  static WorkerRegistration registration(String id, String type) {
    return new WorkerRegistration(id, "http", "default", "host", 1L, List.of("cpu"), 1, List.of(type), null, null);
  }

  static String submit(String type) {
    return Await.result(node.gantry().submit(DagParser.parse(
        "{\"workflowId\": \"remote\", \"jobs\": [{\"id\": \"a\", \"maxRetries\": 0, \"type\": \"" + type + "\"}]}"))).executionId();
  }

  static JobOffer pollOne(String workerId) {
    List<JobOffer> jobs = Await.until(() -> Await.result(workers.poll(workerId, 1, 2_000)), l -> !l.isEmpty(),
        Duration.ofSeconds(15), "a job for " + workerId);
    assertEquals(1, jobs.size());
    return jobs.get(0);
  }

  static ExecutionState finished(String executionId) {
    return Await.until(() -> Await.result(node.gantry().status(executionId)), s -> s.status().finished(),
        Duration.ofSeconds(15), "execution " + executionId + " finished");
  }

  static int assigned(String workerId) {
    return Await.result(workers.status(workerId)).assignedJobs().size();
  }

  @Test
  void aHandedOutJobRunsFromItsHandOutUnlessTheWorkerSaysHowLongItTook() throws Exception {
    Await.result(workers.register(registration("r1", "t-times"), null));
    String first = submit("t-times");
    long before = System.currentTimeMillis();
    JobOffer a = pollOne("r1");
    Await.until(() -> Await.result(node.gantry().status(first)).jobs().get("a").status(), s -> s == JobStatus.RUNNING,
        Duration.ofSeconds(10), "reported started at the hand-out");
    assertEquals(1, assigned("r1"));
    Thread.sleep(300);
    Await.result(workers.progress("r1", a.attemptId(), 50.0, "half", null, null));
    Await.result(workers.complete("r1", a.attemptId(), true, null, null, "log", null));
    JobResult r = finished(first).jobResults().get("a");
    assertTrue(r.startedAt() >= before && r.executionTime() >= 300, "from the hand-out: " + r);
    assertEquals("r1", r.workerId());
    assertEquals("log", r.logs());
    Await.until(() -> assigned("r1"), n -> n == 0, Duration.ofSeconds(5), "the slot freed");

    String second = submit("t-times");
    JobOffer b = pollOne("r1");
    Await.result(workers.complete("r1", b.attemptId(), true, null, null, null, 1_234L));
    ExecutionState s = finished(second);
    assertEquals(ExecutionStatus.COMPLETED, s.status());
    assertEquals(1_234, s.jobResults().get("a").executionTime(), "the worker's own figure");
    Await.result(workers.deregister("r1"));
  }

  @Test
  void aRefusedCompleteStillFreesTheSlot() {
    Await.result(workers.register(registration("r2", "t-stale"), null));
    String id = submit("t-stale");
    JobOffer a = pollOne("r2");
    Await.result(workers.complete("r2", a.attemptId(), true, null, null, null, 5L));
    finished(id);
    GantryException again = assertThrows(GantryException.class,
        () -> Await.result(workers.complete("r2", a.attemptId(), true, null, null, null, 5L)));
    assertEquals("STALE_ATTEMPT", again.code(), "its result was recorded once");
    Await.until(() -> assigned("r2"), n -> n == 0, Duration.ofSeconds(5), "the slot freed");

    GantryException unknown = assertThrows(GantryException.class,
        () -> Await.result(workers.progress("r2", "not-an-attempt", null, null, null, null)));
    assertEquals("NOT_FOUND", unknown.code());
    Await.result(workers.deregister("r2"));
  }
}
