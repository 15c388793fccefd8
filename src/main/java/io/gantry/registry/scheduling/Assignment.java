package io.gantry.registry.scheduling;

/** A dispatch decision: this attempt now runs on this worker. */
public record Assignment(QueuedAttempt attempt, String workerId) {}
