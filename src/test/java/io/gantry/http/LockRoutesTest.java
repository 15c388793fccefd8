package io.gantry.http;

import com.typesafe.config.ConfigFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gantry.locks.RedisLocks;
import io.gantry.persistence.redis.client.SharedRedisClient;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockRoutesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static SharedRedisClient redis;
  private static HttpFixture http;
  @RegisterExtension
  static final RedisPrefix prefix = new RedisPrefix();

  @BeforeAll
  static void start() throws Exception {
    redis = TestRedisUrl.client();
    RedisLocks locks = new RedisLocks(redis.strings(), prefix.get());
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY,
        json -> List.of(new LockRoutes(locks, json, ConfigFactory.defaultReference().getDuration("gantry.locks.default-ttl").toMillis())));
  }

  @AfterAll
  static void stop() {
    http.close();
    redis.close();
  }

  private static JsonNode body(HttpFixture.Answer a) throws Exception {
    return MAPPER.readTree(a.body());
  }

  @Test
  void acquireReadExtendRelease() throws Exception {
    HttpFixture.Answer granted = http.json("POST", "/locks/model-registry", "{\"owner\":\"trainer-1\",\"ttlMs\":5000}");
    assertEquals(200, granted.status(), granted.body());
    JsonNode lock = body(granted);
    String lockId = lock.path("lockId").asText();
    assertTrue(lock.path("fencingToken").asLong() >= 1);
    assertEquals(5000, lock.path("expiresAt").asLong() - lock.path("acquiredAt").asLong());

    HttpFixture.Answer read = http.json("GET", "/locks/model-registry", null);
    assertEquals(200, read.status());
    assertEquals("trainer-1", body(read).path("owner").asText());
    assertEquals("model-registry", body(read).path("resource").asText());

    HttpFixture.Answer extended = http.json("POST", "/locks/model-registry/" + lockId + "/extend",
        "{\"extensionMs\":60000}");
    assertEquals(200, extended.status(), extended.body());
    assertTrue(body(extended).path("expiresAt").asLong() >= lock.path("acquiredAt").asLong() + 60_000);

    assertEquals(200, http.json("DELETE", "/locks/model-registry/" + lockId, null).status());
    HttpFixture.Answer gone = http.json("GET", "/locks/model-registry", null);
    assertEquals(404, gone.status());
    assertEquals("LOCK_NOT_FOUND", body(gone).path("error").path("code").asText());
  }

  @Test
  void aHeldLockIsA409NamingTheHolder() throws Exception {
    http.json("POST", "/locks/held", "{\"owner\":\"alice\"}");

    HttpFixture.Answer refused = http.json("POST", "/locks/held", "{\"owner\":\"bob\",\"ttlMs\":1000}");

    assertEquals(409, refused.status());
    JsonNode error = body(refused).path("error");
    assertEquals("LOCK_HELD", error.path("code").asText());
    assertTrue(error.path("message").asText().startsWith("held is held by alice until "), refused.body());
    assertEquals("alice", error.path("details").path(0).path("owner").asText());
    assertTrue(error.path("details").path(0).path("expiresInMs").asLong() > 25_000, "default ttl of 30 s");
  }

  @Test
  void onlyTheHolderExtendsOrReleases() throws Exception {
    JsonNode lock = body(http.json("POST", "/locks/mine", "{\"owner\":\"alice\"}"));

    HttpFixture.Answer release = http.json("DELETE", "/locks/mine/not-my-lock", null);
    HttpFixture.Answer extend = http.json("POST", "/locks/mine/not-my-lock/extend", "{\"extensionMs\":1000}");

    assertEquals(409, release.status());
    assertEquals("NOT_LOCK_HOLDER", body(release).path("error").path("code").asText());
    assertEquals(409, extend.status());
    assertEquals("LOCK_NOT_HELD", body(extend).path("error").path("code").asText());
    assertEquals(lock.path("lockId"), body(http.json("GET", "/locks/mine", null)).path("lockId"));
  }

  @Test
  void fencingTokensIncreaseAcrossGrants() throws Exception {
    JsonNode first = body(http.json("POST", "/locks/fenced", "{\"owner\":\"a\"}"));
    http.json("DELETE", "/locks/fenced/" + first.path("lockId").asText(), null);
    JsonNode second = body(http.json("POST", "/locks/fenced", "{\"owner\":\"b\"}"));

    assertTrue(second.path("fencingToken").asLong() > first.path("fencingToken").asLong());
  }

  @Test
  void resourcesWithSlashesTravelEncoded() throws Exception {
    HttpFixture.Answer granted = http.json("POST", "/locks/datasets%2Fimagenet", "{\"owner\":\"a\"}");

    assertEquals(200, granted.status(), granted.body());
    assertEquals("datasets/imagenet", body(granted).path("resource").asText());
    assertEquals(200, http.json("GET", "/locks/datasets%2Fimagenet", null).status());
  }

  @Test
  void badRequestsAre400() throws Exception {
    HttpFixture.Answer noOwner = http.json("POST", "/locks/r", "{\"ttlMs\":1000}");
    HttpFixture.Answer badTtl = http.json("POST", "/locks/r", "{\"owner\":\"a\",\"ttlMs\":0}");
    HttpFixture.Answer badName = http.json("POST", "/locks/bad%20name", "{\"owner\":\"a\"}");
    HttpFixture.Answer noExtension = http.json("POST", "/locks/r/some-id/extend", "{}");

    for (HttpFixture.Answer a : new HttpFixture.Answer[] {noOwner, badTtl, badName, noExtension}) {
      assertEquals(400, a.status(), a.body());
      assertEquals("INVALID_LOCK_REQUEST", body(a).path("error").path("code").asText(), a.body());
    }
    assertTrue(body(badTtl).path("error").path("message").asText().contains("ttlMs must be between 1 and"));
    assertEquals(404, http.json("GET", "/locks/r", null).status(), "nothing was locked by bad requests");
  }
}
