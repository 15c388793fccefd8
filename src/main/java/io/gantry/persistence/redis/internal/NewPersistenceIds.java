package io.gantry.persistence.redis.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * Persistence ids that this node's application has just created and that have no events or snapshot yet (say, an
 * execution id the index has just recorded for the first time). The snapshot store and the journal answer the
 * recovery of such an id from memory (no snapshot, highest sequence nr 0) instead of asking Redis: a new entity
 * starts without two round trips. A hint only: kept for {@link #TTL_SECONDS} at most and taken by the first recovery
 * on this node; should it ever be wrong (events written meanwhile by an incarnation on another node), the journal
 * refuses the entity's first write (its sequence nr is already stored), the entity restarts, and that recovery reads
 * Redis.
 */
public final class NewPersistenceIds implements Extension {
  static final long TTL_SECONDS = 30;
  /** Hints held at most; past it expired ones are swept, and while it is still full new hints are dropped. */
  private static final int MAX_HELD = 100_000;

  private static final Id ID = new Id();

  private final ConcurrentHashMap<String, Long> expected = new ConcurrentHashMap<>();

  public static NewPersistenceIds get(ActorSystem system) {
    return ID.get(system);
  }

  /** {@code persistenceId} has nothing stored: its first recovery on this node need not read Redis. */
  public void expect(String persistenceId) {
    long now = System.nanoTime();
    if (expected.size() >= MAX_HELD) {
      expected.values().removeIf(deadline -> deadline - now <= 0);
      if (expected.size() >= MAX_HELD) {
        return;
      }
    }
    expected.put(persistenceId, now + TimeUnit.SECONDS.toNanos(TTL_SECONDS));
  }

  /** For the snapshot store, which recovery asks first: whether the id is expected new; keeps the hint. */
  public boolean isExpected(String persistenceId) {
    Long deadline = expected.get(persistenceId);
    return deadline != null && deadline - System.nanoTime() > 0;
  }

  /** For the journal, asked next: whether the id is expected new; takes the hint, so that it serves once. */
  public boolean take(String persistenceId) {
    Long deadline = expected.remove(persistenceId);
    return deadline != null && deadline - System.nanoTime() > 0;
  }

  private static final class Id extends AbstractExtensionId<NewPersistenceIds> {
    @Override
    public NewPersistenceIds createExtension(ExtendedActorSystem system) {
      return new NewPersistenceIds();
    }
  }
}
