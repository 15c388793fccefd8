package io.gantry.registry.scheduling;

import java.util.Map;

/**
 * A snapshot of one pool.
 *
 * @param utilization sum over workers of min(maxConcurrency, max(running, reported load)) / totalSlots
 * @param queuedByPriority queued attempts per base (submitted) priority; only non-empty priorities
 * @param backlogByCapability per capability class name ("gpu+high-memory", "any" for none)
 */
public record SchedulerStats(
    int queued,
    int running,
    int workers,
    int totalSlots,
    int usedSlots,
    double utilization,
    Map<Integer, Integer> queuedByPriority,
    Map<String, ClassBacklog> backlogByCapability,
    long oldestQueuedAgeMs) {}
