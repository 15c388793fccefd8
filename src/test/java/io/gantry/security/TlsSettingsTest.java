package io.gantry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.client.ConnectionSettings;
import org.junit.jupiter.api.Test;

/**
 * Redis's password and CA file set once under gantry.redis reach the persistence plugin's three connections
 * (so they share Gantry's one client), and never show in the settings' text (which errors and logs may print).
 */
class TlsSettingsTest {

  @Test
  void theRedisPasswordAndCaFileReachThePluginAndStayOutOfItsText() {
    Config config = ConfigFactory.load(ConfigFactory.parseString("""
        gantry.redis.url = "rediss://10.1.2.3:6380/0"
        gantry.redis.password = "s3cret-pass"
        gantry.redis.ca-file = "/etc/gantry/redis-ca.pem"
        """));
    ConnectionSettings gantry = ConnectionSettings.fromConfig(config.getConfig("gantry.redis"));
    assertEquals("s3cret-pass", gantry.password());
    assertEquals("/etc/gantry/redis-ca.pem", gantry.caFile());
    for (String part : new String[] {"journal", "snapshot", "query"}) {
      assertEquals(gantry, ConnectionSettings.fromConfig(
          config.getConfig("gantry.persistence.redis." + part + ".connection")), part);
    }
    assertFalse(gantry.toString().contains("s3cret-pass"), gantry.toString());
    assertTrue(gantry.redisUri().isSsl());

    ConnectionSettings inUrl = new ConnectionSettings("rediss://:url-pass@10.1.2.3:6380/0",
        gantry.connectTimeout(), gantry.commandTimeout(), gantry.reconnectMaxDelay());
    assertFalse(inUrl.toString().contains("url-pass"), inUrl.toString());
    assertEquals("10.1.2.3:6380", inUrl.address());
  }
}
