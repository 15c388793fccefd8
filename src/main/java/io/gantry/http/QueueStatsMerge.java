package io.gantry.http;

import io.gantry.api.QueueStatsView;
import io.gantry.protocol.QueueStats;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Merges the pools' {@link QueueStats}, the live job counts ({@link LiveJobScan}) and the index's counts. */
final class QueueStatsMerge {
  private QueueStatsMerge() {}

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
