package io.gantry.bench;

import io.gantry.protocol.CborSerializable;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/**
 * State: when the last persisted event was created. A persistent actor that persists one ~200-byte event per command and records, in its own slice of
 * a shared array, how long each persist took (from the command handler to the journal's ack).
 */
final class BenchEntity extends EventSourcedBehavior<BenchEntity.Persist, BenchEntity.Persisted, Long> {

  record Persist(Runnable onPersisted) {}

  record Persisted(long startedNanos, String payload) implements CborSerializable {}

  private final String payload;
  private final long[] latencies;
  private final int offset;
  private int recorded;

  static Behavior<Persist> create(String id, String payload, long[] latencies, int offset) {
    return new BenchEntity(id, payload, latencies, offset);
  }

  private BenchEntity(String id, String payload, long[] latencies, int offset) {
    super(PersistenceId.ofUniqueId(id));
    this.payload = payload;
    this.latencies = latencies;
    this.offset = offset;
  }

  @Override
  public Long emptyState() {
    return 0L;
  }

  @Override
  public CommandHandler<Persist, Persisted, Long> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Persist.class, cmd -> Effect()
            .persist(new Persisted(System.nanoTime(), payload))
            .thenRun(startedNanos -> {
              latencies[offset + recorded++] = System.nanoTime() - startedNanos;
              cmd.onPersisted().run();
            }))
        .build();
  }

  @Override
  public EventHandler<Long, Persisted> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Persisted.class, (state, event) -> event.startedNanos())
        .build();
  }
}
