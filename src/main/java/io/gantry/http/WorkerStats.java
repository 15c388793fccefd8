package io.gantry.http;

import io.gantry.protocol.WorkerInfo;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET /workers/stats: {@code total} counts every listed worker (offline ones stay listed for a while), {@code live}
 * those not offline; capabilities, capacity, load and utilization are of the live ones.
 */
record WorkerStats(int total, int live, Map<String, Integer> byStatus, Map<String, Integer> byCapability,
    Map<String, Integer> byKind, Map<String, Integer> byPool, int capacity, int load, double utilization) {

  static WorkerStats of(List<WorkerInfo> workers) {
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> byCapability = new TreeMap<>();
    Map<String, Integer> byKind = new TreeMap<>();
    Map<String, Integer> byPool = new TreeMap<>();
    int live = 0;
    int capacity = 0;
    int load = 0;
    for (WorkerInfo w : workers) {
      byStatus.merge(w.status(), 1, Integer::sum);
      if (w.status().equals("offline")) {
        continue;
      }
      live++;
      capacity += w.maxConcurrency();
      load += w.currentLoad();
      byKind.merge(w.kind(), 1, Integer::sum);
      byPool.merge(w.pool(), 1, Integer::sum);
      w.capabilities().forEach(c -> byCapability.merge(c, 1, Integer::sum));
    }
    double utilization = capacity == 0 ? 0.0 : Math.min(1.0, (double) load / capacity);
    return new WorkerStats(workers.size(), live, byStatus, byCapability, byKind, byPool, capacity, load,
        utilization);
  }
}
