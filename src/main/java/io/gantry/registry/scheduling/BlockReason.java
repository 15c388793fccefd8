package io.gantry.registry.scheduling;

/** Why a queued attempt is not running; the wire names are the API's {@code blockedBy} values. */
public enum BlockReason {
  QUEUE_PAUSED("queue-paused"),
  NO_CAPABLE_WORKER("no-capable-worker"),
  /** A shell job whose program no worker's shell policy allows (shell disabled, or not on its allow-list). */
  SHELL_NOT_ALLOWED("shell-not-allowed"),
  CAPACITY_FULL("capacity-full"),
  CONCURRENCY_KEY("concurrency-key"),
  RATE_LIMIT("rate-limit");

  private final String wireName;

  BlockReason(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
