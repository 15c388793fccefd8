package io.gantry.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** A pool's queue and worker figures, as its registry sees them. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record QueueStats(
    String pool,
    int queued,
    int active,
    boolean paused,
    int workers,
    Map<String, Integer> workersByStatus,
    Map<String, Integer> workersByCapability,
    int capacity,
    int load,
    double utilization,
    Map<String, Integer> queuedByPriority,
    Map<String, Backlog> backlog,
    long oldestQueuedAgeMs,
    long dispatched) implements CborSerializable {

  public record Backlog(int queued, long oldestQueuedAgeMs) implements CborSerializable {}
}
