package io.gantry.dag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The dependency graph of a document's jobs as index arrays, checked for unknown, self and duplicate
 * dependencies, duplicate ids and cycles. Everything is iterative: a 10,000-deep chain is fine.
 */
final class DagGraph {

  /** Cycles reported at most: enough to see the mistake without flooding the answer. */
  private static final int MAX_CYCLES = 10;
  /** Longer cycle paths are shortened in the middle. */
  private static final int MAX_CYCLE_PATH = 20;

  final Map<String, Integer> indexById;
  final int[][] dependencies;
  final int[][] dependents;
  final int[] roots;
  final int[] topologicalOrder;

  private DagGraph(
      Map<String, Integer> indexById, int[][] dependencies, int[][] dependents, int[] roots, int[] topologicalOrder) {
    this.indexById = indexById;
    this.dependencies = dependencies;
    this.dependents = dependents;
    this.roots = roots;
    this.topologicalOrder = topologicalOrder;
  }

  static DagGraph build(List<JobDefinition> jobs, Problems problems) {
    int size = jobs.size();
    Map<String, Integer> indexById = indexIds(jobs, problems);
    int[][] dependencies = resolveDependencies(jobs, indexById, problems);
    int[][] dependents = invert(dependencies);
    int[] roots = roots(dependencies);
    int[] order = kahnOrder(dependencies, dependents, roots);
    if (order.length < size) {
      reportCycles(jobs, dependents, order, problems);
    }
    return new DagGraph(indexById, dependencies, dependents, roots, order);
  }

  private static Map<String, Integer> indexIds(List<JobDefinition> jobs, Problems problems) {
    Map<String, Integer> indexById = new HashMap<>(jobs.size() * 2);
    for (JobDefinition job : jobs) {
      if (job.id() == null) {
        continue;
      }
      Integer first = indexById.putIfAbsent(job.id(), job.index());
      if (first != null) {
        problems.add(
            Problems.jobLabel(job.index(), job.id()),
            "id " + Problems.quote(job.id()) + " is already used by jobs[" + first + "]; ids must be unique");
      }
    }
    return indexById;
  }

  /** Shared by every job without dependencies or dependents (most of a bulk of independent jobs). */
  private static final int[] NONE = new int[0];

  private static int[][] resolveDependencies(List<JobDefinition> jobs, Map<String, Integer> indexById, Problems problems) {
    int[][] dependencies = new int[jobs.size()][];
    // listedBy[d] == i when job i already listed d: finds duplicates in O(1) however long the list.
    int[] listedBy = new int[jobs.size()];
    Arrays.fill(listedBy, -1);
    for (JobDefinition job : jobs) {
      String where = Problems.jobLabel(job.index(), job.id());
      int[] resolved = job.dependsOn().isEmpty() ? NONE : new int[job.dependsOn().size()];
      int count = 0;
      for (String name : job.dependsOn()) {
        Integer dependency = name == null ? null : indexById.get(name);
        if (name != null && name.equals(job.id())) {
          problems.add(where, "dependsOn lists the job itself");
        } else if (dependency == null) {
          problems.add(where, "dependsOn names unknown job " + (name == null ? "null" : Problems.quote(name)));
        } else if (listedBy[dependency] == job.index()) {
          problems.add(where, "dependsOn lists " + Problems.quote(name) + " more than once");
        } else {
          listedBy[dependency] = job.index();
          resolved[count++] = dependency;
        }
      }
      dependencies[job.index()] = count == resolved.length ? resolved : Arrays.copyOf(resolved, count);
    }
    return dependencies;
  }

  private static int[][] invert(int[][] dependencies) {
    int[] counts = new int[dependencies.length];
    for (int[] list : dependencies) {
      for (int dependency : list) {
        counts[dependency]++;
      }
    }
    int[][] dependents = new int[dependencies.length][];
    for (int i = 0; i < dependents.length; i++) {
      dependents[i] = counts[i] == 0 ? NONE : new int[counts[i]];
      counts[i] = 0;
    }
    for (int job = 0; job < dependencies.length; job++) {
      for (int dependency : dependencies[job]) {
        dependents[dependency][counts[dependency]++] = job;
      }
    }
    return dependents;
  }

  private static int[] roots(int[][] dependencies) {
    return IntStream.range(0, dependencies.length).filter(i -> dependencies[i].length == 0).toArray();
  }

  /** Kahn's algorithm; the order is shorter than the job count exactly when there is a cycle. */
  private static int[] kahnOrder(int[][] dependencies, int[][] dependents, int[] roots) {
    int[] waitingFor = new int[dependencies.length];
    for (int i = 0; i < dependencies.length; i++) {
      waitingFor[i] = dependencies[i].length;
    }
    int[] order = Arrays.copyOf(roots, dependencies.length);
    int head = 0;
    int tail = roots.length;
    while (head < tail) {
      for (int dependent : dependents[order[head++]]) {
        if (--waitingFor[dependent] == 0) {
          order[tail++] = dependent;
        }
      }
    }
    return tail == order.length ? order : Arrays.copyOf(order, tail);
  }

  /**
   * Finds cycles among the jobs Kahn's algorithm could not order, by an iterative depth-first search
   * along "runs before" edges; each edge back onto the search path closes one cycle.
   */
  private static void reportCycles(List<JobDefinition> jobs, int[][] dependents, int[] ordered, Problems problems) {
    int size = jobs.size();
    final byte unvisited = 0, onPath = 1, done = 2;
    byte[] state = new byte[size];
    for (int job : ordered) {
      state[job] = done;
    }
    int[] path = new int[size];
    int[] nextEdge = new int[size];
    int cycles = 0;
    for (int start = 0; start < size && cycles < MAX_CYCLES; start++) {
      if (state[start] != unvisited) {
        continue;
      }
      int depth = 0;
      path[0] = start;
      nextEdge[0] = 0;
      state[start] = onPath;
      while (depth >= 0 && cycles < MAX_CYCLES) {
        int job = path[depth];
        if (nextEdge[depth] == dependents[job].length) {
          state[job] = done;
          depth--;
          continue;
        }
        int next = dependents[job][nextEdge[depth]++];
        if (state[next] == onPath) {
          problems.add(null, describeCycle(jobs, path, depth, next));
          cycles++;
        } else if (state[next] == unvisited) {
          state[next] = onPath;
          path[++depth] = next;
          nextEdge[depth] = 0;
        }
      }
    }
  }

  private static String describeCycle(List<JobDefinition> jobs, int[] path, int depth, int closing) {
    int from = depth;
    while (path[from] != closing) {
      from--;
    }
    List<String> ids = new ArrayList<>();
    for (int i = from; i <= depth; i++) {
      ids.add(jobs.get(path[i]).id());
    }
    int length = ids.size();
    if (length > MAX_CYCLE_PATH) {
      List<String> shortened = new ArrayList<>(ids.subList(0, MAX_CYCLE_PATH / 2));
      shortened.add("... (" + (length - MAX_CYCLE_PATH) + " more) ...");
      shortened.addAll(ids.subList(length - MAX_CYCLE_PATH / 2, length));
      ids = shortened;
    }
    ids.add(jobs.get(closing).id());
    return "dependsOn forms a cycle: " + String.join(" -> ", ids) + " (each job runs after the one before it)";
  }
}
