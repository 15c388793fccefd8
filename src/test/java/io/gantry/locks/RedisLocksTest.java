package io.gantry.locks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gantry.persistence.redis.client.SharedRedisClient;
import io.gantry.testkit.RedisPrefix;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisLocksTest {
  private static SharedRedisClient client;
  private RedisLocks locks;

  @BeforeAll
  static void connect() {
    client = TestRedisUrl.client();
  }

  @AfterAll
  static void disconnect() {
    client.close();
  }

  @RegisterExtension
  final RedisPrefix prefix = new RedisPrefix();

  @BeforeEach
  void freshLocks() {
    locks = new RedisLocks(client.strings(), prefix.get());
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get();
  }

  @Test
  void aLockIdChosenByTheHolderLetsItExtendAndReleaseWithoutTheAnswer() throws Exception {
    Acquisition first = await(locks.acquire("ckey", "attempt-1", "attempt-1", 30_000));
    assertTrue(first.granted());
    assertEquals("attempt-1", first.lock().lockId());
    Acquisition again = await(locks.acquire("ckey", "attempt-1", "attempt-1", 30_000));
    assertFalse(again.granted(), "not granted twice");
    assertEquals("attempt-1", again.lock().lockId(), "the answer names the caller's own lock");
    assertFalse(await(locks.acquire("ckey", "attempt-2", "attempt-2", 30_000)).granted());
    assertTrue(await(locks.extend("ckey", "attempt-1", 30_000)).isPresent());
    assertTrue(await(locks.release("ckey", "attempt-1")));
    Acquisition next = await(locks.acquire("ckey", "attempt-2", "attempt-2", 30_000));
    assertTrue(next.granted());
    assertTrue(next.lock().fencingToken() > first.lock().fencingToken());
  }

  @Test
  void aHeldLockExcludesOthersAndNamesItsHolder() throws Exception {
    Acquisition first = await(locks.acquire("model-registry", "alice", 30_000));
    Acquisition second = await(locks.acquire("model-registry", "bob", 30_000));

    assertTrue(first.granted());
    assertEquals("alice", first.lock().owner());
    assertEquals(30_000, first.lock().expiresAt() - first.lock().acquiredAt());
    assertFalse(second.granted());
    assertEquals(first.lock(), second.lock());
    assertEquals(first.lock(), await(locks.get("model-registry")).orElseThrow());
  }

  @Test
  void aLockExpiresAfterItsTtl() throws Exception {
    assertTrue(await(locks.acquire("r", "alice", 100)).granted());
    Thread.sleep(250);

    assertTrue(await(locks.get("r")).isEmpty());
    assertTrue(await(locks.acquire("r", "bob", 1_000)).granted());
  }

  @Test
  void extendMovesTheExpiryForTheHolderOnly() throws Exception {
    LockInfo lock = await(locks.acquire("r", "alice", 200)).lock();

    LockInfo extended = await(locks.extend("r", lock.lockId(), 60_000)).orElseThrow();
    Thread.sleep(300);

    assertTrue(extended.expiresAt() >= lock.acquiredAt() + 60_000);
    assertEquals(lock.fencingToken(), extended.fencingToken());
    assertTrue(await(locks.get("r")).isPresent(), "still held after the original ttl");
    assertTrue(await(locks.extend("r", "someone-else", 60_000)).isEmpty());
  }

  @Test
  void extendAfterExpiryFails() throws Exception {
    LockInfo lock = await(locks.acquire("r", "alice", 50)).lock();
    Thread.sleep(150);

    assertTrue(await(locks.extend("r", lock.lockId(), 1_000)).isEmpty());
  }

  @Test
  void onlyTheHolderReleases() throws Exception {
    LockInfo lock = await(locks.acquire("r", "alice", 30_000)).lock();

    assertFalse(await(locks.release("r", "not-the-lock-id")));
    assertTrue(await(locks.get("r")).isPresent());
    assertTrue(await(locks.release("r", lock.lockId())));
    assertTrue(await(locks.get("r")).isEmpty());
    assertFalse(await(locks.release("r", lock.lockId())), "a second release finds nothing to release");
  }

  @Test
  void fencingTokensStrictlyIncreaseAcrossGrants() throws Exception {
    long previous = 0;
    for (int i = 0; i < 5; i++) {
      LockInfo lock = await(locks.acquire("r", "owner-" + i, 30_000)).lock();
      assertTrue(lock.fencingToken() > previous, lock.fencingToken() + " after " + previous);
      previous = lock.fencingToken();
      if (i % 2 == 0) {
        await(locks.release("r", lock.lockId()));
      } else {
        await(locks.extend("r", lock.lockId(), 1));
        Thread.sleep(20);
      }
    }
    assertEquals(1, await(locks.acquire("other", "x", 1_000)).lock().fencingToken(), "counters are per resource");
  }

  @Test
  void concurrentAcquiresHaveExactlyOneWinner() throws Exception {
    List<CompletableFuture<Acquisition>> attempts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      attempts.add(locks.acquire("contended", "owner-" + i, 30_000).toCompletableFuture());
    }
    CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).get();

    List<Acquisition> winners = attempts.stream().map(CompletableFuture::join).filter(Acquisition::granted).toList();
    assertEquals(1, winners.size());
    String winner = winners.get(0).lock().lockId();
    assertTrue(attempts.stream().map(CompletableFuture::join).allMatch(a -> a.lock().lockId().equals(winner)));
  }

  @Test
  void worksAfterTheServerForgotItsScripts() throws Exception {
    await(client.strings().run("SCRIPT FLUSH", r -> r.scriptFlush()));

    assertTrue(await(locks.acquire("r", "alice", 1_000)).granted());
  }

  @Test
  void invalidArgumentsFailTheStage() {
    assertInvalid(locks.acquire("has space", "alice", 1_000));
    assertInvalid(locks.acquire("r", "", 1_000));
    assertInvalid(locks.acquire("r", "alice", 0));
    assertInvalid(locks.acquire("r", "alice", RedisLocks.MAX_TTL_MS + 1));
    assertInvalid(locks.extend("r", "id", -5));
    assertInvalid(locks.get("x".repeat(201)));
  }

  private static void assertInvalid(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get());
    assertInstanceOf(IllegalArgumentException.class, e.getCause());
  }
}
