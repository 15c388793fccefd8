package io.gantry.registry.cluster;

import io.gantry.registry.cluster.ClusterAnswer.PauseRead;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A registry's view of the queue's pause flag, which lives in Redis so that it holds in every pool and survives
 * restarts. A new registry counts as paused until its first read succeeds (retried until it does); it is re-read
 * every {@link ClusterQueueSettings#refresh()}, and a pause or resume command (sent after the flag was written)
 * wins over any read started before it. Owned by the registry actor.
 */
public final class SharedPause {
  private final ClusterQueueStore store;
  private final String pool;
  private final Consumer<CompletionStage<ClusterAnswer>> pipe;
  private long seq;
  private boolean known;

  public SharedPause(ClusterQueueStore store, String pool, Consumer<CompletionStage<ClusterAnswer>> pipe) {
    this.store = store;
    this.pool = pool;
    this.pipe = pipe;
  }

  /** Reads the flag, and records the pool as existing (a set add: cheap and idempotent). */
  public void read() {
    long at = seq;
    pipe.accept(store.addPool(pool).thenCompose(v -> store.paused())
        .handle((paused, e) -> new PauseRead(at, e == null ? paused : null)));
  }

  /** A pause or resume command: reads in flight are stale now. */
  public void commanded() {
    seq++;
    known = true;
  }

  /** The flag to apply, or null when the read failed or is stale. */
  public Boolean answered(PauseRead r) {
    if (r.seq() != seq || r.paused() == null) {
      return null;
    }
    known = true;
    return r.paused();
  }

  /** Whether the flag was read (or commanded) at least once: before, the registry does not dispatch. */
  public boolean known() {
    return known;
  }
}
