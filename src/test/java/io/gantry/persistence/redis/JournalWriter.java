package io.gantry.persistence.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.testkit.javadsl.TestKit;
import scala.jdk.javaapi.CollectionConverters;

/** Writes events straight to the Redis journal actor, as a persistent actor would. */
public final class JournalWriter {
  private final ActorSystem system;
  private final ActorRef journal;

  public JournalWriter(ActorSystem system) {
    this.system = system;
    this.journal = Persistence.get(system).journalFor("gantry.persistence.redis.journal", ConfigFactory.empty());
  }

  public ActorRef journal() {
    return journal;
  }

  /** Writes one AtomicWrite per event, payload "e-seqNr", tagged with {@code tags} when not empty. */
  public void write(String persistenceId, long from, long to, Set<String> tags) {
    List<PersistentEnvelope> writes = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      Object payload = tags.isEmpty() ? "e-" + seq : new Tagged("e-" + seq, CollectionConverters.asScala(tags).toSet());
      writes.add(AtomicWrite.apply(PersistentRepr.apply(payload, seq, persistenceId, "", false, null, "writer")));
    }
    TestKit probe = new TestKit(system);
    journal.tell(
        new JournalProtocol.WriteMessages(CollectionConverters.asScala(writes).toList(), probe.getRef(), 1),
        ActorRef.noSender());
    probe.expectMsgEquals(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (long seq = from; seq <= to; seq++) {
      assertEquals(seq, probe.expectMsgClass(JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());
    }
  }
}
