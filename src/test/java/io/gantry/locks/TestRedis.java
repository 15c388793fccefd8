package io.gantry.locks;

import java.util.UUID;

/** Key prefixes for lock tests on the test Redis ({@link io.gantry.testkit.TestRedisUrl}). */
public final class TestRedis {
  private TestRedis() {}

  /** A key prefix no other test uses. */
  public static String freshPrefix() {
    return "test-" + UUID.randomUUID() + ":";
  }
}
