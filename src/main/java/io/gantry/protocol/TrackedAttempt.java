package io.gantry.protocol;


/**
 * An attempt an Execution believes is running; the registry confirms a worker holds it or reports it lost.
 * {@code workerNode} is the cluster node of that worker (null for HTTP workers or when not known).
 */
public record TrackedAttempt(String attemptId, String jobId, String workerId, String workerNode)
    implements CborSerializable {}
