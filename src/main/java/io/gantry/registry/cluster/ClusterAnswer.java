package io.gantry.registry.cluster;

/**
 * What a Redis call made for a registry answers, piped back to the registry actor as a message (it never blocks).
 * Local to one node: never serialized.
 */
public sealed interface ClusterAnswer {

  /** The lock of {@code key} was asked for {@code attemptId}: {@code held} when it holds it (false also on error). */
  record KeyAnswered(String attemptId, String key, boolean held, String error) implements ClusterAnswer {}

  /** Time to look whether {@code key}, refused to an attempt here, is free again. */
  record KeyRetry(String key) implements ClusterAnswer {}

  /** Whether nobody holds {@code key}'s lock now (false also when Redis did not answer). */
  record KeyLooked(String key, boolean free) implements ClusterAnswer {}

  /** An adopted attempt's key, looked up and taken again; {@code key} null when it holds none. */
  record KeyReadopted(String attemptId, String key, boolean held) implements ClusterAnswer {}

  /** The shared pause flag as read when {@code seq} was current; {@code paused} null when the read failed. */
  record PauseRead(long seq, Boolean paused) implements ClusterAnswer {}

  /** Time to read the shared pause flag again. */
  enum Refresh implements ClusterAnswer { INSTANCE }
}
