package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Kills a real redis-server under a persistent actor and brings it back on the same port with the
 * same AOF: writes fail fast naming the address, the actor restarts with backoff, nothing
 * acknowledged is lost and everything works again without help.
 */
@Tag("slow")
class RedisFaultTest {

  @Test
  void survivesRedisGoingAwayAndComingBack() throws Exception {
    Path dir = Files.createTempDirectory("gantry-redis-fault");
    try (RedisServerProcess redis = new RedisServerProcess(dir)) {
      redis.start();
      ActorTestKit testKit =
          ActorTestKit.create(
              "RedisFaultTest",
              RedisTestSupport.config(
                  redis.url(),
                  RedisTestSupport.uniquePrefix("fault"),
                  """
                  gantry.persistence.redis.connection.command-timeout = 1s
                  gantry.persistence.redis.connection.connect-timeout = 1s
                  """));
      try {
        String address = "127.0.0.1:" + redis.port();
        String pid = RedisTestSupport.uniqueId("ledger");
        ActorRef<NumberLog.Command> ledger = testKit.spawn(NumberLog.restartingWithBackoff(pid));
        for (int i = 1; i <= 20; i++) {
          append(testKit, ledger, i);
        }

        redis.kill();

        long start = System.nanoTime();
        ExecutionException pingFailure =
            assertThrows(ExecutionException.class, () -> await(RedisPersistence.get(testKit.system()).ping()));
        assertTrue(pingFailure.getCause().getMessage().contains(address), pingFailure.getCause().getMessage());
        Throwable writeFailure = directWriteFailure(testKit, pid + "-direct");
        assertTrue(writeFailure.getMessage().contains(address), writeFailure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(3)) < 0, "failed fast");
        assertThrows(ExecutionException.class, () -> append(testKit, ledger, 999));

        redis.start();

        List<Integer> recovered = eventually(() -> values(testKit, ledger));
        assertEquals(range(1, 20), recovered);
        append(testKit, ledger, 21);
        testKit.stop(ledger);
        ActorRef<NumberLog.Command> again = testKit.spawn(NumberLog.restartingWithBackoff(pid));
        List<Integer> expected = range(1, 20);
        expected.add(21);
        assertEquals(expected, values(testKit, again));
        assertTrue(await(RedisPersistence.get(testKit.system()).redisHealth()).reachable());
      } finally {
        testKit.shutdownTestKit();
      }
    }
  }

  private static Throwable directWriteFailure(ActorTestKit testKit, String pid) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(testKit.system());
    JournalWriter writer = new JournalWriter(classic);
    TestKit probe = new TestKit(classic);
    List<PersistentEnvelope> writes =
        List.of(AtomicWrite.apply(PersistentRepr.apply("x", 1, pid, "", false, null, "writer")));
    writer.journal().tell(
        new JournalProtocol.WriteMessages(CollectionConverters.asScala(writes).toList(), probe.getRef(), 1),
        probe.getRef());
    JournalProtocol.WriteMessagesFailed failed =
        probe.expectMsgClass(Duration.ofSeconds(3), JournalProtocol.WriteMessagesFailed.class);
    return failed.cause();
  }

  private static void append(ActorTestKit testKit, ActorRef<NumberLog.Command> ledger, int value) throws Exception {
    await(AskPattern.<NumberLog.Command, StatusReply<Done>>ask(
            ledger, replyTo -> new NumberLog.Append(value, replyTo), Duration.ofSeconds(3), testKit.scheduler()));
  }

  private static List<Integer> values(ActorTestKit testKit, ActorRef<NumberLog.Command> ledger) throws Exception {
    return await(AskPattern.<NumberLog.Command, List<Integer>>ask(
        ledger, NumberLog.Get::new, Duration.ofSeconds(3), testKit.scheduler()));
  }

  private interface Attempt<T> {
    T run() throws Exception;
  }

  private static <T> T eventually(Attempt<T> attempt) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return attempt.run();
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> values = new ArrayList<>();
    for (int i = from; i <= to; i++) {
      values.add(i);
    }
    return values;
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
  }
}
