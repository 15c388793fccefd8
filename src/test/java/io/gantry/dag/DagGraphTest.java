package io.gantry.dag;

import static io.gantry.dag.Documents.assertRejected;
import static io.gantry.dag.Documents.dag;
import static io.gantry.dag.Documents.rejected;
import static io.gantry.dag.Documents.withJobs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DagGraphTest {

  private static String job(String id, String... dependsOn) {
    String deps = dependsOn.length == 0 ? "" : ",'dependsOn':['" + String.join("','", dependsOn) + "']";
    return "{'id':'" + id + "','type':'noop'" + deps + "}";
  }

  @Test
  void diamond() {
    Dag dag = dag(withJobs(job("a"), job("b", "a"), job("c", "a"), job("d", "b", "c")));
    assertEquals(4, dag.size());
    assertEquals("w", dag.workflowId());
    assertArrayEquals(new int[] {0}, dag.roots());
    assertArrayEquals(new int[] {1, 2}, dag.dependents(0));
    assertArrayEquals(new int[] {1, 2}, dag.dependencies(3));
    assertArrayEquals(new int[] {1, 2, 3}, dag.descendants(0));
    assertArrayEquals(new int[] {3}, dag.descendants(1));
    assertArrayEquals(new int[] {}, dag.descendants(3));
    assertArrayEquals(new int[] {0, 1, 2, 3}, dag.topologicalOrder());
  }

  @Test
  void fanOutAndFanIn() {
    List<String> jobs = new ArrayList<>(List.of(job("split")));
    String[] workers = new String[50];
    for (int i = 0; i < workers.length; i++) {
      workers[i] = "w" + i;
      jobs.add(job(workers[i], "split"));
    }
    jobs.add(job("merge", workers));
    Dag dag = dag(withJobs(jobs.toArray(String[]::new)));
    int merge = dag.indexOf("merge");
    assertEquals(51, merge);
    assertEquals(50, dag.dependents(0).length);
    assertEquals(50, dag.dependencies(merge).length);
    assertEquals(51, dag.descendants(0).length);
    assertArrayEquals(new int[] {merge}, dag.descendants(1));
    assertOrdered(dag);
  }

  @Test
  void dependencyOrderIsKeptAndJobsAreFoundById() {
    Dag dag = dag(withJobs(job("x"), job("y"), job("z", "y", "x")));
    assertArrayEquals(new int[] {1, 0}, dag.dependencies(2));
    assertEquals(List.of("y", "x"), dag.job("z").dependsOn());
    assertArrayEquals(new int[] {0, 1}, dag.roots());
    assertEquals(2, dag.indexOf("z"));
    assertEquals(-1, dag.indexOf("nope"));
    assertNull(dag.job("nope"));
    assertEquals("y", dag.job(1).id());
    assertEquals(dag.jobs().get(2), dag.job("z"));
  }

  @Test
  void returnedArraysAreCopies() {
    Dag dag = dag(withJobs(job("a"), job("b", "a")));
    dag.dependents(0)[0] = 99;
    dag.topologicalOrder()[0] = 99;
    assertArrayEquals(new int[] {1}, dag.dependents(0));
    assertArrayEquals(new int[] {0, 1}, dag.topologicalOrder());
  }

  @Test
  void jobsListedBeforeTheirDependenciesAreOrderedCorrectly() {
    Dag dag = dag(withJobs(job("last", "mid"), job("mid", "first"), job("first")));
    assertArrayEquals(new int[] {2, 1, 0}, dag.topologicalOrder());
    assertArrayEquals(new int[] {1, 0}, dag.descendants(2));
  }

  @Test
  void cycleIsReportedWithItsPath() {
    assertRejected(withJobs(job("a", "c"), job("b", "a"), job("c", "b"), job("d", "c")),
        "dependsOn forms a cycle: a -> b -> c -> a (each job runs after the one before it)");
  }

  @Test
  void twoSeparateCyclesAreBothReported() {
    DagValidationException e = assertRejected(withJobs(job("a", "b"), job("b", "a"), job("ok"), job("x", "y"), job("y", "x")),
        "dependsOn forms a cycle: a -> b -> a (each job runs after the one before it)",
        "dependsOn forms a cycle: x -> y -> x (each job runs after the one before it)");
    assertEquals(2, e.details().size());
  }

  @Test
  void selfDependencyIsReportedOnceNotAlsoAsACycle() {
    DagValidationException e = assertRejected(withJobs(job("a", "a")), "jobs[0] (id \"a\"): dependsOn lists the job itself");
    assertEquals(1, e.details().size());
  }

  @Test
  void tenThousandDeepChainNeitherOverflowsNorSlowsDown() {
    int depth = 10_000;
    String[] jobs = new String[depth];
    jobs[0] = job("j0");
    for (int i = 1; i < depth; i++) {
      jobs[i] = job("j" + i, "j" + (i - 1));
    }
    Dag dag = dag(withJobs(jobs));
    assertEquals(depth - 1, dag.descendants(0).length);
    assertEquals(depth - 1, dag.topologicalOrder()[depth - 1]);
    assertArrayEquals(new int[] {0}, dag.roots());
  }

  @Test
  void tenThousandLongCycleIsFoundIterativelyAndShortenedInTheMessage() {
    int length = 10_000;
    String[] jobs = new String[length];
    for (int i = 0; i < length; i++) {
      jobs[i] = job("j" + i, "j" + ((i + length - 1) % length));
    }
    DagValidationException e = rejected(withJobs(jobs));
    assertEquals(1, e.details().size());
    String cycle = e.details().get(0);
    assertTrue(cycle.startsWith("dependsOn forms a cycle: j0 -> j1 -> "), cycle);
    assertTrue(cycle.contains("... (9980 more) ..."), cycle);
    assertTrue(cycle.contains("-> j9999 -> j0 "), cycle);
  }

  static void assertOrdered(Dag dag) {
    int[] position = new int[dag.size()];
    int[] order = dag.topologicalOrder();
    assertEquals(dag.size(), order.length);
    for (int i = 0; i < order.length; i++) {
      position[order[i]] = i;
    }
    for (int job = 0; job < dag.size(); job++) {
      for (int dependency : dag.dependencies(job)) {
        assertTrue(position[dependency] < position[job], () -> "order " + Arrays.toString(order));
      }
    }
  }
}
