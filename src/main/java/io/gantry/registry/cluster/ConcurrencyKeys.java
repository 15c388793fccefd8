package io.gantry.registry.cluster;

import io.gantry.registry.cluster.ClusterAnswer.KeyAnswered;
import io.gantry.registry.cluster.ClusterAnswer.KeyReadopted;
import io.gantry.registry.scheduling.QueuedAttempt;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A registry's side of the cluster-wide concurrency keys: an attempt with a key is assigned locally first (its key
 * counts as held in the pool, the attempt as assigned), then the key's Redis lock is asked for, and only once it is
 * granted does the attempt go to its worker. Held locks are renewed by the registry's tick and released when the
 * attempt ends or is lost. Owned by the registry actor: single-threaded; Redis answers come back through
 * {@code pipe} as {@link ClusterAnswer}s.
 */
public final class ConcurrencyKeys {
  private static final Logger LOG = LoggerFactory.getLogger(ConcurrencyKeys.class);

  private record Pending(String key, QueuedAttempt attempt) {}

  private static final class Held {
    final String key;
    long renewedAt;

    Held(String key, long renewedAt) {
      this.key = key;
      this.renewedAt = renewedAt;
    }
  }

  private final ClusterQueueStore store;
  private final ClusterQueueSettings settings;
  private final Consumer<CompletionStage<ClusterAnswer>> pipe;
  private final Map<String, Pending> pending = new HashMap<>();
  private final Map<String, Held> held = new HashMap<>();
  /** Adopted attempts whose key was looked up (or is being looked up). */
  private final Set<String> readopting = new HashSet<>();

  public ConcurrencyKeys(ClusterQueueStore store, ClusterQueueSettings settings,
      Consumer<CompletionStage<ClusterAnswer>> pipe) {
    this.store = store;
    this.settings = settings;
    this.pipe = pipe;
  }

  /** For an attempt just assigned: true when it has a key and must wait for its lock before it is sent. */
  public boolean acquire(QueuedAttempt attempt) {
    String key = attempt.concurrencyKey();
    if (key == null) {
      return false;
    }
    pending.put(attempt.attemptId(), new Pending(key, attempt));
    String id = attempt.attemptId();
    pipe.accept(store.acquireKey(key, id, settings.keyTtl().toMillis()).handle((held, e) -> e != null
        ? new KeyAnswered(id, key, false, rootMessage(e))
        : new KeyAnswered(id, key, held, null)));
    return true;
  }

  public boolean isPending(String attemptId) {
    return pending.containsKey(attemptId);
  }

  /**
   * The lock answer for an assigned attempt. Granted: true when the attempt is still assigned (send it now);
   * a grant for an attempt that ended meanwhile is given back. Refused: the attempt to queue again, if still
   * assigned (the caller parks its key until {@link ClusterAnswer.KeyRetry}).
   */
  public boolean granted(KeyAnswered a, long now) {
    Pending p = pending.remove(a.attemptId());
    if (p == null) {
      release(a.key(), a.attemptId());
      return false;
    }
    held.put(a.attemptId(), new Held(a.key(), now));
    return true;
  }

  public Optional<QueuedAttempt> refused(KeyAnswered a) {
    Pending p = pending.remove(a.attemptId());
    if (p != null) {
      LOG.info("attempt {} waits for concurrency key '{}': {}", a.attemptId(), a.key(),
          a.error() == null ? "held elsewhere" : "Redis did not answer (" + a.error() + ")");
    }
    return Optional.ofNullable(p).map(Pending::attempt);
  }

  /** Looks whether a key refused to an attempt here is free again ({@link ClusterAnswer.KeyLooked}). */
  public void look(String key) {
    pipe.accept(store.keyFree(key).handle((free, e) -> new ClusterAnswer.KeyLooked(key, e == null && free)));
  }

  /** An attempt a worker says it holds that this registry did not assign: looks up its key once. */
  public void readopt(String attemptId) {
    if (held.containsKey(attemptId) || pending.containsKey(attemptId) || !readopting.add(attemptId)) {
      return;
    }
    long ttl = settings.keyTtl().toMillis();
    pipe.accept(store.keyOf(attemptId)
        .thenCompose(key -> key == null ? java.util.concurrent.CompletableFuture.completedFuture(
            new KeyReadopted(attemptId, null, false))
            : store.renewKey(key, attemptId, ttl).thenApply(h -> (ClusterAnswer) new KeyReadopted(attemptId, key, h)))
        .handle((answer, e) -> e != null ? new KeyReadopted(attemptId, "", false) : answer));
  }

  /**
   * The answer of {@link #readopt}: answers the key to hold locally when the attempt holds it again (and is still
   * adopted). A failed look-up ({@code key} empty) is tried again at the worker's next report.
   */
  public Optional<String> readopted(KeyReadopted r, boolean stillAdopted, long now) {
    if (!readopting.contains(r.attemptId())) {
      if (r.held()) {
        release(r.key(), r.attemptId()); // ended meanwhile
      }
      return Optional.empty();
    }
    if ("".equals(r.key())) {
      readopting.remove(r.attemptId());
      return Optional.empty();
    }
    if (r.key() == null) {
      return Optional.empty();
    }
    if (!r.held()) {
      LOG.warn("adopted attempt {} runs without its concurrency key '{}': another attempt took it", r.attemptId(),
          r.key());
      return Optional.empty();
    }
    if (!stillAdopted) {
      readopting.remove(r.attemptId());
      release(r.key(), r.attemptId());
      return Optional.empty();
    }
    held.put(r.attemptId(), new Held(r.key(), now));
    LOG.info("adopted attempt {} holds concurrency key '{}' again", r.attemptId(), r.key());
    return Optional.of(r.key());
  }

  /** The attempt ended, was cancelled or lost: its lock is released; answers the key it held here, if any. */
  public Optional<String> ended(String attemptId) {
    readopting.remove(attemptId);
    Pending p = pending.remove(attemptId);
    if (p != null) {
      return Optional.of(p.key()); // the lock, if granted, is released when the answer comes
    }
    Held h = held.remove(attemptId);
    if (h == null) {
      return Optional.empty();
    }
    release(h.key, attemptId);
    return Optional.of(h.key);
  }

  /**
   * An attempt reported lost: as {@link #ended}, and when this registry did not know it held a key (lost before its
   * worker reported it to a new registry) the key it took, if any, is looked up and released.
   */
  public Optional<String> lost(String attemptId) {
    Optional<String> key = ended(attemptId);
    if (key.isEmpty()) {
      store.keyOf(attemptId).whenComplete((k, e) -> {
        if (k != null) {
          release(k, attemptId);
        }
      });
    }
    return key;
  }

  /**
   * Renews, every third of the TTL, the locks of the attempts that run or whose result is pending ({@code live});
   * the lock of one no longer live (its worker stopped listing it) is released. Answers those released: attempt
   * id to key.
   */
  public Map<String, String> renewDue(long now, Predicate<String> live) {
    long ttl = settings.keyTtl().toMillis();
    Map<String, String> released = new HashMap<>();
    for (String attemptId : List.copyOf(held.keySet())) {
      Held h = held.get(attemptId);
      if (!live.test(attemptId)) {
        ended(attemptId).ifPresent(key -> released.put(attemptId, key));
        continue;
      }
      if (now - h.renewedAt < ttl / 3) {
        continue;
      }
      h.renewedAt = now;
      store.renewKey(h.key, attemptId, ttl).whenComplete((ok, error) -> {
        if (error != null) {
          LOG.warn("cannot renew concurrency key '{}' of attempt {} (it goes on running): {}", h.key, attemptId,
              rootMessage(error));
        } else if (!ok) {
          LOG.error("concurrency key '{}' of attempt {} lapsed and was taken by another attempt", h.key, attemptId);
        }
      });
    }
    return released;
  }

  public int heldCount() {
    return held.size();
  }

  private void release(String key, String attemptId) {
    store.releaseKey(key, attemptId).whenComplete((v, e) -> {
      if (e != null) {
        LOG.warn("cannot release concurrency key '{}' of attempt {} (it expires by itself): {}", key, attemptId,
            rootMessage(e));
      }
    });
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
