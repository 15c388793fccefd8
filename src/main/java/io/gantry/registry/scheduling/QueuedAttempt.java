package io.gantry.registry.scheduling;

/**
 * One attempt of a job offered to the pool.
 *
 * @param priority 1..10, 10 most urgent (values outside are clamped)
 * @param concurrencyKey nullable; attempts sharing a key never run at the same time
 * @param payload opaque to the scheduler: handed back unchanged in the {@link Assignment}
 * @param shellProgram for a {@code shell} job, its program in canonical form (matched against workers' shell
 *     allow-lists); null otherwise, or when no allow-list can match it
 */
public record QueuedAttempt(
    String attemptId,
    String executionId,
    String jobId,
    String type,
    int priority,
    JobRequirements requirements,
    String concurrencyKey,
    long enqueuedAtMs,
    Object payload,
    String shellProgram) {

  public QueuedAttempt(String attemptId, String executionId, String jobId, String type, int priority,
      JobRequirements requirements, String concurrencyKey, long enqueuedAtMs, Object payload) {
    this(attemptId, executionId, jobId, type, priority, requirements, concurrencyKey, enqueuedAtMs, payload, null);
  }

  public QueuedAttempt {
    if (attemptId == null) {
      throw new IllegalArgumentException("attemptId is required");
    }
    priority = Math.max(1, Math.min(10, priority));
    // Most attempts need nothing: they share one instance instead of keeping an equal copy each while queued.
    requirements = requirements == null || JobRequirements.NONE.equals(requirements) ? JobRequirements.NONE
        : requirements;
  }
}
