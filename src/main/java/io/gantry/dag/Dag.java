package io.gantry.dag;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A validated DAG, indexed once per execution: jobs by position and id, dependency and dependent
 * arrays, roots and a topological order. Immutable; the arrays it returns are copies.
 */
public final class Dag {

  private final DagDocument document;
  private final List<JobDefinition> jobs;
  private final DagGraph graph;

  private Dag(DagDocument document, List<JobDefinition> jobs, DagGraph graph) {
    this.document = document;
    this.jobs = jobs;
    this.graph = graph;
  }

  /** Checks every rule of API.md §2 and reports all problems at once. */
  public static Dag of(DagDocument document) throws DagValidationException {
    Problems problems = new Problems();
    List<JobDefinition> jobs = DocumentRules.check(document, problems);
    DagGraph graph = DagGraph.build(jobs, problems);
    problems.throwIfAny();
    return new Dag(document, Collections.unmodifiableList(jobs), graph);
  }

  public DagDocument document() {
    return document;
  }

  public String workflowId() {
    return document.workflowId();
  }

  public int size() {
    return jobs.size();
  }

  public List<JobDefinition> jobs() {
    return jobs;
  }

  public JobDefinition job(int index) {
    return jobs.get(index);
  }

  /** The job with this id, or null. */
  public JobDefinition job(String id) {
    int index = indexOf(id);
    return index < 0 ? null : jobs.get(index);
  }

  /** The job's index, or -1 for an unknown id. */
  public int indexOf(String id) {
    Integer index = graph.indexById.get(id);
    return index == null ? -1 : index;
  }

  /** The direct dependencies of a job, in {@code dependsOn} order. */
  public int[] dependencies(int index) {
    return graph.dependencies[index].clone();
  }

  /** The jobs that directly depend on a job, in document order. */
  public int[] dependents(int index) {
    return graph.dependents[index].clone();
  }

  /** The jobs without dependencies, in document order. */
  public int[] roots() {
    return graph.roots.clone();
  }

  /** Every job that transitively depends on a job (not the job itself), each once, nearest first. */
  public int[] descendants(int index) {
    // Breadth-first; the found array doubles as the queue.
    boolean[] seen = new boolean[jobs.size()];
    int[] found = new int[jobs.size()];
    int count = 0;
    for (int dependent : graph.dependents[index]) {
      seen[dependent] = true;
      found[count++] = dependent;
    }
    for (int head = 0; head < count; head++) {
      for (int dependent : graph.dependents[found[head]]) {
        if (!seen[dependent]) {
          seen[dependent] = true;
          found[count++] = dependent;
        }
      }
    }
    return Arrays.copyOf(found, count);
  }

  /** Every job, each after all of its dependencies. */
  public int[] topologicalOrder() {
    return graph.topologicalOrder.clone();
  }

  @Override
  public String toString() {
    return "Dag[" + document.workflowId() + ", " + jobs.size() + " jobs]";
  }
}
