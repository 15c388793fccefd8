package io.gantry.locks;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.client.SharedRedisClient;
import io.gantry.testkit.TestRedisUrl;
import java.util.UUID;

/** Key prefixes and clients for lock tests on the test Redis ({@link io.gantry.testkit.TestRedisUrl}). */
public final class TestRedis {
  private TestRedis() {}

  /** A key prefix no other test uses. */
  public static String freshPrefix() {
    return "test-" + UUID.randomUUID() + ":";
  }

  /** A client of the test Redis with Gantry's default timeouts ({@code gantry.redis}), outside any ActorSystem. */
  public static SharedRedisClient client() {
    return new SharedRedisClient(ConnectionSettings.fromConfig(ConfigFactory.load().getConfig("gantry.redis")
        .withValue("url", ConfigValueFactory.fromAnyRef(TestRedisUrl.get()))));
  }
}
