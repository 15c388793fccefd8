package io.gantry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gantry.protocol.QueueStats;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /queue/stats}, merged over the pools. From the registries: {@code queued} (attempts offered, waiting for
 * a worker), {@code active} (attempts running), {@code paused} (dispatch paused in every pool), {@code workers},
 * {@code capacity}, {@code load}, {@code utilization} (load / capacity), {@code backlog} per capability class (queued
 * and oldest queued age: the autoscaling signal). From the executions: {@code waiting} (jobs waiting for
 * dependencies or a paused execution) and {@code delayed} (jobs waiting for their retry backoff);
 * {@code countsEstimated} when those come from a sample. From the index: {@code completed}, {@code failed},
 * {@code cancelled}: finished executions not yet cleaned (a queue job is one execution).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record QueueStatsView(long waiting, long queued, long active, long delayed, long completed, long failed,
    long cancelled, boolean paused, int workers, int capacity, int load, double utilization,
    Map<String, QueueStats.Backlog> backlog, Map<String, Integer> queuedByPriority, long oldestQueuedAgeMs,
    boolean countsEstimated, List<String> pools) {
}
