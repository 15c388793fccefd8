package io.gantry.locks;

import java.util.UUID;

/** The Redis of the test run: env GANTRY_TEST_REDIS_URL or property gantry.test.redis.url, else localhost. */
public final class TestRedis {
  private TestRedis() {}

  public static String url() {
    for (String candidate : new String[] {System.getenv("GANTRY_TEST_REDIS_URL"),
        System.getProperty("gantry.test.redis.url")}) {
      // Maven passes the unexpanded "${env...}" when the variable is unset.
      if (candidate != null && !candidate.isBlank() && !candidate.startsWith("${")) {
        return candidate;
      }
    }
    return "redis://127.0.0.1:6379/0";
  }

  /** A key prefix no other test uses. */
  public static String freshPrefix() {
    return "test-" + UUID.randomUUID() + ":";
  }
}
