package io.gantry.testkit;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.client.SharedRedisClient;

/** The Redis the tests use: GANTRY_TEST_REDIS_URL (set by bin/test), else a local default. */
public final class TestRedisUrl {
  private TestRedisUrl() {}

  public static String get() {
    String env = System.getenv("GANTRY_TEST_REDIS_URL");
    if (env != null && !env.isBlank()) {
      return env;
    }
    String prop = System.getProperty("gantry.test.redis.url");
    if (prop != null && !prop.isBlank() && !prop.startsWith("${")) {
      return prop;
    }
    return "redis://127.0.0.1:6379/0";
  }

  /** A client of the test Redis with Gantry's default timeouts ({@code gantry.redis}), outside any ActorSystem. */
  public static SharedRedisClient client() {
    return new SharedRedisClient(ConnectionSettings.fromConfig(ConfigFactory.load().getConfig("gantry.redis")
        .withValue("url", ConfigValueFactory.fromAnyRef(get()))));
  }
}
