package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.client.ConnectionSettings;
import io.gantry.persistence.redis.internal.RedisTarget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Gantry's reference.conf points the plugin's blocks at {@code gantry.redis} by substitution: an application
 * config that sets Gantry's Redis moves the journal, snapshot store and read journal with it (equal settings,
 * so one Lettuce client serves both), while the plugin's key prefix stays its own.
 */
class GantryRedisConfigTest {

  @Test
  void settingGantrysRedisMovesThePluginButNotItsKeyPrefix() {
    Config config = ConfigFactory.load(ConfigFactory.parseString("""
        gantry.redis.url = "redis://10.1.2.3:6380/4"
        gantry.redis.command-timeout = 7s
        gantry.redis.key-prefix = "elsewhere:"
        """));
    ConnectionSettings gantry = ConnectionSettings.fromConfig(config.getConfig("gantry.redis"));
    assertEquals(new ConnectionSettings("redis://10.1.2.3:6380/4", Duration.ofSeconds(5), Duration.ofSeconds(7),
        Duration.ofSeconds(2)), gantry);
    for (String part : new String[] {"journal", "snapshot", "query"}) {
      RedisTarget target = RedisTarget.fromPluginConfig(config.getConfig("gantry.persistence.redis." + part));
      assertEquals(gantry, target.connection(), part);
      assertEquals("gantry:", target.keys().prefix(), part);
    }
  }

  @Test
  void thePluginsOwnConnectionSettingWins() {
    Config config = ConfigFactory.load(ConfigFactory.parseString("""
        gantry.redis.url = "redis://10.1.2.3:6380/4"
        gantry.persistence.redis.connection.url = "redis://10.9.9.9:6379/0"
        """));
    for (String part : new String[] {"journal", "snapshot", "query"}) {
      RedisTarget target = RedisTarget.fromPluginConfig(config.getConfig("gantry.persistence.redis." + part));
      assertEquals("redis://10.9.9.9:6379/0", target.connection().url(), part);
    }
    assertEquals("redis://10.1.2.3:6380/4", config.getString("gantry.redis.url"));
  }
}
