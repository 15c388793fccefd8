package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A burst of first recoveries on a fresh ActorSystem: thousands of persistent actors start before the
 * Redis connection is up, and every one recovers at its first attempt (observation 9 of issue 7).
 */
@Tag("slow")
class RecoveryBurstTest {
  private static final int ACTORS = 2_000;
  private static final Duration ASK = Duration.ofSeconds(90);

  @Test
  void thousandsOfActorsRecoverWhileTheConnectionIsBeingMade() throws Exception {
    Path dir = Files.createTempDirectory("gantry-recovery-burst");
    try (RedisServerProcess redis = new RedisServerProcess(dir)) {
      redis.start();
      String prefix = RedisTestSupport.uniquePrefix("burst");
      String run = RedisTestSupport.uniqueId("log");

      // 1. Redis accepts the connection but answers nothing until every actor has started recovering.
      redis.pause();
      NumberLog.Recoveries first = new NumberLog.Recoveries();
      ActorTestKit writers = testKit(redis, prefix);
      try {
        List<ActorRef<NumberLog.Command>> logs = spawnAll(writers, run, first);
        List<CompletableFuture<StatusReply<Done>>> adds = new ArrayList<>(ACTORS);
        for (int i = 0; i < ACTORS; i++) {
          int value = i;
          adds.add(AskPattern.<NumberLog.Command, StatusReply<Done>>ask(
                  logs.get(i), replyTo -> new NumberLog.Append(value, replyTo), ASK, writers.scheduler())
              .toCompletableFuture());
        }
        Thread.sleep(1_000);
        redis.resume();
        CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).get(ASK.toSeconds(), TimeUnit.SECONDS);
        adds.forEach(add -> assertEquals(StatusReply.ack(), add.join()));
        assertEquals(ACTORS, first.completed.get(), "recoveries completed");
        assertEquals(0, first.failed.get(), "recoveries failed");
      } finally {
        writers.shutdownTestKit();
      }

      // 2. A fresh ActorSystem: the same actors all start at once and replay what they wrote.
      NumberLog.Recoveries second = new NumberLog.Recoveries();
      ActorTestKit readers = testKit(redis, prefix);
      try {
        List<ActorRef<NumberLog.Command>> logs = spawnAll(readers, run, second);
        List<CompletableFuture<List<Integer>>> reads = new ArrayList<>(ACTORS);
        for (ActorRef<NumberLog.Command> log : logs) {
          reads.add(AskPattern.<NumberLog.Command, List<Integer>>ask(log, NumberLog.Get::new, ASK, readers.scheduler())
              .toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(ASK.toSeconds(), TimeUnit.SECONDS);
        for (int i = 0; i < ACTORS; i++) {
          assertEquals(List.of(i), reads.get(i).join(), "state of log " + i);
        }
        assertEquals(ACTORS, second.completed.get(), "recoveries completed");
        assertEquals(0, second.failed.get(), "recoveries failed");
      } finally {
        readers.shutdownTestKit();
      }
    }
  }

  private static ActorTestKit testKit(RedisServerProcess redis, String prefix) {
    return ActorTestKit.create(
        "RecoveryBurstTest",
        RedisTestSupport.config(
            redis.url(),
            prefix,
            """
            gantry.persistence.redis.connection.connect-timeout = 30s
            gantry.persistence.redis.connection.command-timeout = 30s
            gantry.persistence.redis.circuit-breaker.call-timeout = 60s
            pekko.persistence.journal-plugin-fallback.recovery-event-timeout = 60s
            """));
  }

  private static List<ActorRef<NumberLog.Command>> spawnAll(ActorTestKit testKit, String run,
      NumberLog.Recoveries recoveries) {
    List<ActorRef<NumberLog.Command>> logs = new ArrayList<>(ACTORS);
    for (int i = 0; i < ACTORS; i++) {
      logs.add(testKit.spawn(NumberLog.unsupervised(run + "-" + i, recoveries)));
    }
    return logs;
  }
}
