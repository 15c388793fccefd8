package io.gantry.registry;

import io.gantry.CborSerializable;

/** An attempt an Execution believes is running; the registry confirms a worker holds it or reports it lost. */
public record TrackedAttempt(String attemptId, String jobId, String workerId) implements CborSerializable {}
