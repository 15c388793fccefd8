package io.gantry.execution;

import io.gantry.protocol.ExecutionState;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.protocol.JobStatus;
import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.protocol.GantryException;
import io.gantry.testkit.Await;
import io.gantry.testkit.ProbeWorker;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pause, resume, cancel, retry and stale attempts, with a worker played by the test. */
class ExecutionControlTest {
  @RegisterExtension
  final TestNode node = TestNode.builder().roles("orchestrator").build();
  ProbeWorker worker;

  @BeforeEach
  void start() {
    worker = ProbeWorker.register(node, "probe", 4);
  }

  String submitChain() {
    return Await.result(node.gantry().submit(DagParser.parse("""
        {"workflowId": "control", "jobs": [
          {"id": "a", "type": "noop"},
          {"id": "b", "type": "noop", "dependsOn": ["a"]}
        ]}"""))).executionId();
  }

  ExecutionState state(String id) {
    return Await.result(node.gantry().status(id));
  }

  @Test
  void pauseHoldsNewJobsAndResumeReleasesThem() {
    String id = submitChain();
    var a = worker.nextJob();
    ExecutionState paused = Await.result(node.gantry().pause(id));
    assertEquals(ExecutionStatus.PAUSED, paused.status());
    assertTrue(worker.finish(a, true).isSuccess(), "a running job still reports while paused");
    worker.expectNoJob(Duration.ofMillis(400));
    assertEquals("execution-paused", Await.result(node.gantry().job(id, "b")).blockedBy());
    GantryException again = assertThrows(GantryException.class, () -> Await.result(node.gantry().pause(id)));
    assertEquals("CONFLICT", again.code());
    assertEquals(ExecutionStatus.RUNNING, Await.result(node.gantry().resume(id)).status());
    var b = worker.nextJob();
    assertEquals("b", b.jobId());
    worker.finish(b, true);
    assertEquals(ExecutionStatus.COMPLETED, Await.until(() -> state(id).status(), ExecutionStatus::finished,
        Duration.ofSeconds(10), "completion"));
  }

  @Test
  void cancelStopsRunningAttemptsAndRefusesTheirLateResults() {
    String id = submitChain();
    var a = worker.nextJob();
    Await.until(() -> state(id).jobs().get("a").status(), s -> s == JobStatus.RUNNING, Duration.ofSeconds(5), "a running");
    ExecutionState cancelled = Await.result(node.gantry().cancel(id));
    assertEquals(ExecutionStatus.CANCELLED, cancelled.status());
    assertEquals(JobStatus.CANCELLED, cancelled.jobs().get("a").status());
    assertEquals(JobStatus.CANCELLED, cancelled.jobs().get("b").status());
    worker.expectCancel(a.attemptId());
    var late = worker.finish(a, true);
    assertTrue(late.isError());
    assertTrue(late.getError().getMessage().startsWith("STALE_ATTEMPT"), late.getError().getMessage());
    assertEquals(ExecutionStatus.CANCELLED, state(id).status());
    assertEquals("CONFLICT", assertThrows(GantryException.class,
        () -> Await.result(node.gantry().cancel(id))).code());
  }

  @Test
  void retryRequeuesFailedAndSkippedJobsAndKeepsCompletedOutputs() {
    String id = Await.result(node.gantry().submit(DagParser.parse("""
        {"workflowId": "control", "jobs": [
          {"id": "a", "type": "noop"},
          {"id": "b", "type": "noop", "dependsOn": ["a"], "maxRetries": 0},
          {"id": "c", "type": "noop", "dependsOn": ["b"]}
        ]}"""))).executionId();
    var a = worker.nextJob();
    worker.finish(a, true);
    var b = worker.nextJob();
    worker.finish(b, false);
    ExecutionState failed = Await.until(() -> state(id), s -> s.status().finished(), Duration.ofSeconds(10), "failure");
    assertEquals(ExecutionStatus.FAILED, failed.status());
    assertEquals(JobStatus.SKIPPED, failed.jobs().get("c").status());

    ExecutionState retried = Await.result(node.gantry().retry(id));
    assertEquals(ExecutionStatus.RUNNING, retried.status());
    assertEquals(JobStatus.COMPLETED, retried.jobs().get("a").status());
    var b2 = worker.nextJob();
    assertEquals("b", b2.jobId());
    assertNotEquals(b.attemptId(), b2.attemptId());
    assertEquals("probe", b2.dependencyOutputs().get("a").get("by").asText(), "a's output is kept");
    worker.finish(b2, true);
    var c = worker.nextJob();
    worker.finish(c, true);
    ExecutionState done = Await.until(() -> state(id), s -> s.status().finished(), Duration.ofSeconds(10), "done");
    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(1, done.jobs().get("a").attempts(), "a was not run again");
    assertEquals("CONFLICT", assertThrows(GantryException.class,
        () -> Await.result(node.gantry().retry(id))).code());
  }

  @Test
  void attemptOfALostWorkerRunsAgainAndItsLateResultIsRefused() {
    String id = submitChain();
    var a = worker.nextJob();
    ProbeWorker other = ProbeWorker.register(node, "other", 4);
    worker.deregister();
    var again = other.nextJob();
    assertEquals("a", again.jobId());
    assertNotEquals(a.attemptId(), again.attemptId());
    var stale = worker.finish(a, true);
    assertTrue(stale.isError() && stale.getError().getMessage().startsWith("STALE_ATTEMPT"));
    other.finish(again, true);
    other.finish(other.nextJob(), true);
    ExecutionState done = Await.until(() -> state(id), s -> s.status().finished(), Duration.ofSeconds(10), "done");
    assertEquals(ExecutionStatus.COMPLETED, done.status());
    assertEquals(2, done.jobs().get("a").attempts(), "the lost attempt counts as started");
    assertEquals("other", done.jobResults().get("a").workerId());
  }
}
