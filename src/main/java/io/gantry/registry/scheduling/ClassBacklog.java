package io.gantry.registry.scheduling;

/** Queued attempts of one capability class: the autoscaling signal. */
public record ClassBacklog(int queued, long oldestQueuedAgeMs) {}
