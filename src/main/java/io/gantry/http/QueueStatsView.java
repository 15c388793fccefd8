package io.gantry.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gantry.protocol.QueueStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /queue/stats}, merged over the pools. From the registries: {@code queued} (attempts offered, waiting for
 * a worker), {@code active} (attempts running), {@code paused} (dispatch paused in every pool), {@code workers},
 * {@code capacity}, {@code load}, {@code utilization} (load / capacity), {@code backlog} per capability class (queued
 * and oldest queued age: the autoscaling signal). From the executions ({@link LiveJobScan}): {@code waiting} (jobs
 * waiting for dependencies or a paused execution) and {@code delayed} (jobs waiting for their retry backoff);
 * {@code countsEstimated} when those come from a sample. From the index: {@code completed}, {@code failed},
 * {@code cancelled}: finished executions not yet cleaned (a queue job is one execution).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record QueueStatsView(long waiting, long queued, long active, long delayed, long completed, long failed,
    long cancelled, boolean paused, int workers, int capacity, int load, double utilization,
    Map<String, QueueStats.Backlog> backlog, Map<String, Integer> queuedByPriority, long oldestQueuedAgeMs,
    boolean countsEstimated, List<String> pools) {

  static QueueStatsView merge(List<QueueStats> pools, LiveJobScan.Counts live, long completed, long failed,
      long cancelled) {
    long queued = 0;
    long active = 0;
    int workers = 0;
    int capacity = 0;
    int load = 0;
    long oldest = 0;
    boolean paused = !pools.isEmpty();
    Map<String, QueueStats.Backlog> backlog = new TreeMap<>();
    Map<String, Integer> byPriority = new TreeMap<>();
    for (QueueStats s : pools) {
      queued += s.queued();
      active += s.active();
      workers += s.workers();
      capacity += s.capacity();
      load += s.load();
      oldest = Math.max(oldest, s.oldestQueuedAgeMs());
      paused &= s.paused();
      s.backlog().forEach((capability, b) -> backlog.merge(capability, b, (x, y) ->
          new QueueStats.Backlog(x.queued() + y.queued(), Math.max(x.oldestQueuedAgeMs(), y.oldestQueuedAgeMs()))));
      s.queuedByPriority().forEach((priority, n) -> byPriority.merge(priority, n, Integer::sum));
    }
    double utilization = capacity == 0 ? 0.0 : (double) load / capacity;
    return new QueueStatsView(live.waiting(), queued, active, live.delayed(), completed, failed, cancelled, paused,
        workers, capacity, load, utilization, backlog, byPriority, oldest, live.estimated(),
        pools.stream().map(QueueStats::pool).toList());
  }
}
