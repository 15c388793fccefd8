package io.gantry.cluster;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.lease.RedisLease;
import io.gantry.testkit.TestActorSystem;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Split Brain Resolver's lease on real Redis: one holder at a time, renewal, expiry, loss, release. */
class RedisLeaseTest {
  @RegisterExtension
  static final TestActorSystem pekko = TestActorSystem.of("lease-test", prefix -> ConfigFactory.parseString(
      String.join("\n",
          "pekko.actor.provider = local",
          "gantry.redis.url = \"" + TestRedisUrl.get() + "\"",
          "gantry.redis.key-prefix = \"" + prefix + "\"")).withFallback(ConfigFactory.load()));
  static ActorSystem<Void> system;
  static RedisClient client;
  static StatefulRedisConnection<String, String> redis;
  static final String PREFIX = pekko.prefix();

  @BeforeAll
  static void start() {
    system = pekko.system();
    client = RedisClient.create(TestRedisUrl.get());
    redis = client.connect();
  }

  @AfterAll
  static void stop() {
    redis.close();
    client.shutdown();
  }

  static RedisLease lease(String name, String owner, String ttl, String every) {
    return lease(name, owner, ttl, every, holder -> false);
  }

  static RedisLease lease(String name, String owner, String ttl, String every,
      java.util.function.Predicate<String> reachableMember) {
    Config c = ConfigFactory.parseString("lease-class = \"" + RedisLease.class.getName() + "\"\n"
        + "heartbeat-timeout = " + ttl + "\nheartbeat-interval = " + every + "\nlease-operation-timeout = 2s");
    return new RedisLease(LeaseSettings.apply(c, name, owner), system, reachableMember);
  }

  static boolean await(java.util.concurrent.CompletionStage<Boolean> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void oneOwnerAtATimeAndTheHolderMayAcquireAgain() throws Exception {
    String name = "contended-" + UUID.randomUUID();
    RedisLease a = lease(name, "10.0.0.1:2551", "3s", "500ms");
    RedisLease b = lease(name, "10.0.0.2:2551", "3s", "500ms");
    assertTrue(await(a.acquire()));
    assertFalse(await(b.acquire()), "a live holder keeps the lease");
    assertTrue(a.checkLease());
    assertFalse(b.checkLease());
    assertTrue(await(a.acquire()), "acquire by the holder is idempotent");
    assertEquals("10.0.0.1:2551", redis.sync().get(PREFIX + "lease:" + name));

    Thread.sleep(4000); // past the TTL: renewals keep it
    assertFalse(await(b.acquire()), "renewed every 500 ms, the lease outlives its 3 s TTL");
    assertTrue(a.checkLease());

    assertTrue(await(a.release()));
    assertFalse(a.checkLease());
    assertNull(redis.sync().get(PREFIX + "lease:" + name));
    assertTrue(await(b.acquire()), "released, it goes to the next owner");
    assertTrue(await(a.release()), "a release by a non-holder leaves the holder alone");
    assertEquals("10.0.0.2:2551", redis.sync().get(PREFIX + "lease:" + name));
    assertTrue(await(b.release()));
  }

  @Test
  void aCrashedHolderExpiresAndAWaitingAcquireTakesItOver() throws Exception {
    String name = "crashed-" + UUID.randomUUID();
    // A holder that stopped renewing (the process died): the key with its owner and a TTL of 3 s.
    redis.sync().psetex(PREFIX + "lease:" + name, 3000, "10.0.0.9:2551");
    RedisLease b = lease(name, "10.0.0.2:2551", "3s", "500ms");
    assertFalse(await(b.acquire()), "a fresh TTL looks like a live holder: refused at once");
    Thread.sleep(1500); // the holder has missed two renewals of 500 ms
    long start = System.nanoTime();
    assertTrue(await(b.acquire()), "acquire waits out the TTL of a holder presumed dead");
    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(waited >= 1000 && waited < 3000, "waited " + waited + " ms for the rest of the TTL");
    assertEquals("10.0.0.2:2551", redis.sync().get(PREFIX + "lease:" + name));
    assertTrue(await(b.release()));
  }

  @Test
  void aNewLeaderTakesTheLeaseOverFromAReachableMemberButNotFromAnUnreachableOne() throws Exception {
    String name = "leader-moved-" + UUID.randomUUID();
    RedisLease old = lease(name, "gantry@10.0.0.1:2551", "3s", "300ms");
    CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
    assertTrue(await(old.acquire(lost::complete)));
    RedisLease otherSide = lease(name, "gantry@10.0.0.3:2551", "3s", "300ms", holder -> false);
    assertFalse(await(otherSide.acquire()), "a holder this node does not reach keeps the lease");
    RedisLease sameSide = lease(name, "gantry@10.0.0.2:2551", "3s", "300ms",
        holder -> holder.equals("gantry@10.0.0.1:2551"));
    assertTrue(await(sameSide.acquire()), "the new leader of the holder's side takes it over");
    assertEquals("gantry@10.0.0.2:2551", redis.sync().get(PREFIX + "lease:" + name));
    assertTrue(lost.get(5, TimeUnit.SECONDS).isPresent(), "the previous holder learns it lost the lease");
    assertFalse(old.checkLease());
    assertTrue(await(old.release()));
    assertEquals("gantry@10.0.0.2:2551", redis.sync().get(PREFIX + "lease:" + name), "its release is a no-op");
    assertTrue(await(sameSide.release()));
  }

  @Test
  void theLostCallbackRunsWhenAnotherOwnerTookTheKey() throws Exception {
    String name = "lost-" + UUID.randomUUID();
    RedisLease a = lease(name, "10.0.0.1:2551", "3s", "300ms");
    CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
    assertTrue(await(a.acquire(lost::complete)));
    assertFalse(lost.isDone());
    // Someone else owns the key now (e.g. it expired during a long pause and was taken).
    redis.sync().set(PREFIX + "lease:" + name, "10.0.0.3:2551");
    Optional<Throwable> why = lost.get(5, TimeUnit.SECONDS);
    assertTrue(why.isPresent() && why.get().getMessage().contains("held by another owner"), String.valueOf(why));
    assertFalse(a.checkLease());
    assertEquals("10.0.0.3:2551", redis.sync().get(PREFIX + "lease:" + name), "the loser does not touch the key");
    assertTrue(await(a.release()));
    assertEquals("10.0.0.3:2551", redis.sync().get(PREFIX + "lease:" + name));
  }

  @Test
  void theLostCallbackRunsWhenTheKeyExpiredUnderTheHolder() throws Exception {
    String name = "expired-" + UUID.randomUUID();
    RedisLease a = lease(name, "10.0.0.1:2551", "3s", "300ms");
    CompletableFuture<Optional<Throwable>> lost = new CompletableFuture<>();
    assertTrue(await(a.acquire(lost::complete)));
    redis.sync().del(PREFIX + "lease:" + name);
    assertTrue(lost.get(5, TimeUnit.SECONDS).isPresent());
    assertFalse(a.checkLease());
    assertNull(redis.sync().get(PREFIX + "lease:" + name), "a lost lease is not silently re-taken by renewal");
  }
}
