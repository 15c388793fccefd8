package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.gantry.persistence.redis.query.RedisReadJournal;
import io.gantry.testkit.TestRedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/**
 * Another Pekko application mounts the journal, snapshot store and read journal at its own paths
 * ({@code my-app.*}) with its own Redis settings and dispatcher, copied from the plugin's defaults. Every
 * {@code gantry} path of its config is then hidden (set to null), so a plugin part that read anything but
 * its own block would fail to start.
 */
class MountedAtOwnPathTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void anEventSourcedBehaviorPersistsReplaysAndIsReadByTagAtTheApplicationsPaths() throws Exception {
    String prefix = RedisTestSupport.uniquePrefix("mounted");
    String pid = RedisTestSupport.uniqueId("note");
    String tag = RedisTestSupport.uniqueId("tag");
    Config config = config(prefix);

    ActorTestKit first = ActorTestKit.create("MountedFirst", config);
    try {
      assertFalse(first.system().settings().config().hasPath("gantry.redis"), "no gantry path is left to read");
      assertFalse(first.system().settings().config().hasPath("gantry.persistence.redis.dispatcher"));
      ActorRef<Command> notes = first.spawn(Notes.create(pid, tag));
      TestProbe<String> probe = first.createTestProbe();
      for (String text : List.of("a", "b", "c")) {
        notes.tell(new Append(text, probe.ref()));
        assertEquals("ok", probe.receiveMessage(WAIT));
      }
    } finally {
      first.shutdownTestKit();
    }

    ActorTestKit second = ActorTestKit.create("MountedSecond", config);
    try {
      // Recovered from the snapshot at 2 and event 3.
      ActorRef<Command> notes = second.spawn(Notes.create(pid, tag));
      TestProbe<String> probe = second.createTestProbe();
      notes.tell(new Read(probe.ref()));
      assertEquals("abc", probe.receiveMessage(WAIT));

      RedisReadJournal query =
          PersistenceQuery.get(second.system()).getReadJournalFor(RedisReadJournal.class, "my-app.query");
      List<EventEnvelope> byTag = query.currentEventsByTag(tag, Offset.noOffset())
          .runWith(Sink.seq(), second.system()).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(List.of("a", "b", "c"), byTag.stream().map(e -> (String) e.event()).toList());
      assertEquals(List.of(1L, 2L, 3L), byTag.stream().map(EventEnvelope::sequenceNr).toList());
      assertTrue(byTag.stream().allMatch(e -> e.persistenceId().equals(pid)));
    } finally {
      second.shutdownTestKit();
    }

    // The keys are the application's, under its prefix, and nothing went to the plugin's default prefix.
    RedisClient client = RedisClient.create(TestRedisUrl.get());
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      assertEquals(3L, redis.sync().zcard(prefix + "j:{" + pid + "}:events"));
      assertEquals(1L, redis.sync().zcard(prefix + "s:{" + pid + "}:index"), "the snapshot at sequence nr 2");
      assertFalse(redis.sync().exists("gantry:j:{" + pid + "}:events") > 0);
    } finally {
      client.shutdown();
    }
  }

  /**
   * The application's own config: plugin blocks copied from the defaults, with its Redis, key prefix and
   * dispatcher; resolved, then every gantry path hidden.
   */
  private static Config config(String prefix) {
    Config application = ConfigFactory.load(ConfigFactory.parseString("""
        pekko.actor.provider = local
        pekko.loglevel = WARNING
        pekko.persistence.journal.plugin = "my-app.journal"
        pekko.persistence.snapshot-store.plugin = "my-app.snapshot"
        my-app {
          redis { url = "%s", key-prefix = "%s" }
          dispatcher {
            type = Dispatcher
            executor = "thread-pool-executor"
            thread-pool-executor.fixed-pool-size = 2
          }
          journal = ${gantry.persistence.redis.journal}
          journal {
            plugin-dispatcher = "my-app.dispatcher"
            connection = ${gantry.persistence.redis.connection} ${my-app.redis}
          }
          snapshot = ${gantry.persistence.redis.snapshot}
          snapshot {
            plugin-dispatcher = "my-app.dispatcher"
            connection = ${my-app.journal.connection}
          }
          query = ${gantry.persistence.redis.query}
          query {
            plugin-dispatcher = "my-app.dispatcher"
            connection = ${my-app.journal.connection}
          }
        }
        """.formatted(TestRedisUrl.get(), prefix)));
    return ConfigFactory.parseString("gantry = null").withFallback(application);
  }

  sealed interface Command {}

  record Append(String text, ActorRef<String> replyTo) implements Command {}

  record Read(ActorRef<String> replyTo) implements Command {}

  /** Appends text; events and the snapshot (every second event) are plain Strings. */
  static final class Notes extends EventSourcedBehavior<Command, String, String> {
    private final String tag;

    static Behavior<Command> create(String pid, String tag) {
      return new Notes(PersistenceId.ofUniqueId(pid), tag);
    }

    private Notes(PersistenceId pid, String tag) {
      super(pid);
      this.tag = tag;
    }

    @Override
    public String emptyState() {
      return "";
    }

    @Override
    public CommandHandler<Command, String, String> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(Append.class, (state, c) -> Effect().persist(c.text()).thenRun(s -> c.replyTo().tell("ok")))
          .onCommand(Read.class, (state, c) -> Effect().none().thenRun(s -> c.replyTo().tell(s)))
          .build();
    }

    @Override
    public EventHandler<String, String> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> state + event);
    }

    @Override
    public Set<String> tagsFor(String event) {
      return Set.of(tag);
    }

    @Override
    public boolean shouldSnapshot(String state, String event, long sequenceNr) {
      return sequenceNr == 2;
    }
  }
}
