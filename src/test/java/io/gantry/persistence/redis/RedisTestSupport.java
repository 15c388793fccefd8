package io.gantry.persistence.redis;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestRedisUrl;
import java.util.UUID;

/** A config pointing the plugins at the test Redis ({@link TestRedisUrl}) under a key prefix of their own. */
public final class RedisTestSupport {
  private RedisTestSupport() {}

  /** A key prefix no other test class uses, so suites sharing the Redis do not see each other. */
  public static String uniquePrefix(String testName) {
    return RedisPrefix.random(testName);
  }

  public static String uniqueId(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static Config config(String redisUrl, String keyPrefix, String extra) {
    return ConfigFactory.load(
        ConfigFactory.parseString(
            """
            pekko.actor.provider = local
            pekko.loglevel = WARNING
            pekko.persistence.publish-plugin-commands = on
            pekko.persistence.journal.plugin = "gantry.persistence.redis.journal"
            pekko.persistence.snapshot-store.plugin = "gantry.persistence.redis.snapshot"
            gantry.redis.url = "%s"
            gantry.persistence.redis.connection.key-prefix = "%s"
            """
                .formatted(redisUrl, keyPrefix)
                + extra));
  }

  public static Config config(String keyPrefix) {
    return config(TestRedisUrl.get(), keyPrefix, "");
  }
}
