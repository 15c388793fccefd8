package io.gantry.lease;

import io.gantry.persistence.redis.client.LuaScript;
import io.gantry.redis.GantryRedis;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.coordination.lease.LeaseException;
import org.apache.pekko.coordination.lease.LeaseSettings;
import org.apache.pekko.coordination.lease.LeaseTimeoutException;
import org.apache.pekko.coordination.lease.javadsl.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Pekko {@link Lease} kept in Gantry's Redis (the Split Brain Resolver's {@code lease-majority} uses it, so a
 * two-node cluster or an even split has a winner). The key {@code <prefix>lease:<name>} holds the owner's name
 * with a TTL of {@code heartbeat-timeout}; the holder extends it every {@code heartbeat-interval} with a
 * compare-and-extend script and loses the lease (the lost callback runs) when an extension finds another owner or
 * no extension succeeded within the TTL. A holder that crashed stops extending, so its key expires by itself.
 *
 * <p>Acquire is immediate, except when the current holder has visibly missed two extensions (its remaining TTL is
 * that much below the full TTL): then it is presumed dead and acquire waits out the rest of its TTL once. A lease
 * held by another member that this node reaches (same side of any split: the SBR leader changed while the previous
 * one still held the lease for {@code release-after}) is handed over with a compare-and-set; a holder this node
 * does not reach keeps it, which is what makes the other side of a split lose.
 */
public final class RedisLease extends Lease {
  private static final Logger log = LoggerFactory.getLogger(RedisLease.class);

  /** {1} when this owner holds the key now (taken or re-taken), else {0, holder, holder's remaining TTL in ms}. */
  static final String ACQUIRE = """
      local owner = redis.call('get', KEYS[1])
      if owner == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        return {1}
      end
      if not owner then
        redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return {1}
      end
      local ttl = redis.call('pttl', KEYS[1])
      if ttl < 0 then ttl = 0 end
      return {0, owner, ttl}
      """;
  /** Hands the key over from ARGV[3] (the holder seen a moment ago) to ARGV[1]: 1 when done. */
  static final String TAKE_OVER = """
      if redis.call('get', KEYS[1]) == ARGV[3] then
        redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
      end
      return 0
      """;
  static final String EXTEND = """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('pexpire', KEYS[1], ARGV[2])
        return 1
      end
      return 0
      """;
  static final String RELEASE = """
      if redis.call('get', KEYS[1]) == ARGV[1] then
        redis.call('del', KEYS[1])
      end
      return 1
      """;

  private static final LuaScript ACQUIRE_SCRIPT = LuaScript.of("lease-acquire", ACQUIRE);
  private static final LuaScript TAKE_OVER_SCRIPT = LuaScript.of("lease-take-over", TAKE_OVER);
  private static final LuaScript EXTEND_SCRIPT = LuaScript.of("lease-extend", EXTEND);
  private static final LuaScript RELEASE_SCRIPT = LuaScript.of("lease-release", RELEASE);

  private final LeaseSettings settings;
  /** Gantry's Redis is looked up on first use, not when the cluster creates the lease at start-up. */
  private final ActorSystem<?> system;
  private final Predicate<String> reachableMember;
  private final long ttlMs;
  private final Duration renewEvery;
  private final long operationTimeoutMs;

  private final Object lock = new Object();
  private volatile boolean held;
  private volatile long validUntilNanos;
  private Cancellable renewal;
  private Consumer<Optional<Throwable>> lostCallback = lost -> {};

  public RedisLease(LeaseSettings settings, ExtendedActorSystem system) {
    this(settings, Adapter.toTyped(system), ReachableMembers.of(system));
  }

  /** {@code reachableMember}: whether an owner name ({@code system@host:port}) is a member this node reaches. */
  public RedisLease(LeaseSettings settings, ActorSystem<?> system, Predicate<String> reachableMember) {
    this.settings = settings;
    this.system = system;
    this.reachableMember = reachableMember;
    this.ttlMs = settings.timeoutSettings().getHeartbeatTimeout().toMillis();
    this.renewEvery = settings.timeoutSettings().getHeartbeatInterval();
    this.operationTimeoutMs = settings.timeoutSettings().getOperationTimeout().toMillis();
  }

  @Override
  public LeaseSettings getSettings() {
    return settings;
  }

  @Override
  public CompletionStage<Boolean> acquire() {
    return acquire(lost -> {});
  }

  @Override
  public CompletionStage<Boolean> acquire(Consumer<Optional<Throwable>> leaseLostCallback) {
    return tryAcquire(true).thenApply(acquired -> {
      if (acquired) {
        synchronized (lock) {
          lostCallback = leaseLostCallback;
          startRenewal();
        }
        log.info("lease {} acquired by {}", settings.leaseName(), settings.ownerName());
      }
      return acquired;
    });
  }

  private CompletionStage<Boolean> tryAcquire(boolean mayWait) {
    long sentAt = System.nanoTime();
    return this.<List<Object>>run(ACQUIRE_SCRIPT, ScriptOutputType.MULTI, String.valueOf(ttlMs)).thenCompose(answer -> {
      if (((Long) answer.get(0)) == 1) {
        confirmed(sentAt);
        return CompletableFuture.completedFuture(true);
      }
      String holder = answer.get(1) instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
          : String.valueOf(answer.get(1));
      long remainingMs = (Long) answer.get(2);
      if (reachableMember.test(holder)) {
        // The holder is a member this node reaches: the same side of any split, where leadership moved (the
        // previous leader keeps the lease for release-after). Its decision and ours are one side's decision.
        log.info("lease {}: taking it over from {}, a reachable member of this cluster", settings.leaseName(),
            holder);
        return this.<Long>run(TAKE_OVER_SCRIPT, ScriptOutputType.INTEGER, String.valueOf(ttlMs), holder).thenCompose(taken -> {
          if (taken == 1) {
            confirmed(sentAt);
            return CompletableFuture.completedFuture(true);
          }
          return mayWait ? tryAcquire(false) : CompletableFuture.completedFuture(false);
        });
      }
      if (mayWait && remainingMs < ttlMs - 2 * renewEvery.toMillis()) {
        log.info("lease {}: its holder {} missed two renewals; waiting {} ms for it to expire", settings.leaseName(),
            holder, remainingMs);
        CompletableFuture<Boolean> later = new CompletableFuture<>();
        system.scheduler().scheduleOnce(Duration.ofMillis(remainingMs + 20),
            () -> tryAcquire(false).whenComplete((ok, e) -> {
              if (e != null) {
                later.completeExceptionally(e);
              } else {
                later.complete(ok);
              }
            }), system.executionContext());
        return later;
      }
      log.info("lease {} is held by {} ({} ms left)", settings.leaseName(), holder, remainingMs);
      return CompletableFuture.completedFuture(false);
    });
  }

  @Override
  public CompletionStage<Boolean> release() {
    synchronized (lock) {
      stopRenewal();
      held = false;
    }
    return this.<Long>run(RELEASE_SCRIPT, ScriptOutputType.INTEGER).thenApply(released -> {
      log.info("lease {} released by {}", settings.leaseName(), settings.ownerName());
      return true;
    });
  }

  /** True while the last acquire or extension that Redis confirmed is less than the TTL old. */
  @Override
  public boolean checkLease() {
    return held && System.nanoTime() < validUntilNanos;
  }

  private void confirmed(long sentAtNanos) {
    validUntilNanos = sentAtNanos + TimeUnit.MILLISECONDS.toNanos(ttlMs);
    held = true;
  }

  private void startRenewal() {
    if (renewal == null || renewal.isCancelled()) {
      renewal = system.scheduler().scheduleAtFixedRate(renewEvery, renewEvery, this::renew,
          system.executionContext());
    }
  }

  private void stopRenewal() {
    if (renewal != null) {
      renewal.cancel();
      renewal = null;
    }
  }

  private void renew() {
    if (!held) {
      return;
    }
    long sentAt = System.nanoTime();
    this.<Long>run(EXTEND_SCRIPT, ScriptOutputType.INTEGER, String.valueOf(ttlMs)).whenComplete((extended, error) -> {
      if (error == null && extended == 1) {
        if (held) {
          confirmed(sentAt);
        }
      } else if (error == null) {
        lost(new LeaseException("lease " + settings.leaseName() + " is held by another owner or expired"));
      } else if (System.nanoTime() >= validUntilNanos) {
        lost(new LeaseException("lease " + settings.leaseName() + " could not be renewed within its TTL ("
            + rootMessage(error) + ")"));
      } else {
        log.warn("lease {}: renewal failed ({}); retrying", settings.leaseName(), rootMessage(error));
      }
    });
  }

  private void lost(Throwable why) {
    Consumer<Optional<Throwable>> callback;
    synchronized (lock) {
      if (!held) {
        return;
      }
      held = false;
      stopRenewal();
      callback = lostCallback;
    }
    log.warn("lease {} lost by {}: {}", settings.leaseName(), settings.ownerName(), why.getMessage());
    callback.accept(Optional.of(why));
  }

  /** Runs a script on the lease key with the owner as first argument; fails with a LeaseException when unsure. */
  private <T> CompletionStage<T> run(LuaScript script, ScriptOutputType type, String... extra) {
    String[] args = new String[extra.length + 1];
    args[0] = settings.ownerName();
    System.arraycopy(extra, 0, args, 1, extra.length);
    CompletionStage<T> call;
    try {
      GantryRedis redis = GantryRedis.get(system);
      call = redis.connection().eval(script, type, new String[] {redis.prefix() + "lease:" + settings.leaseName()}, args);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    return call.toCompletableFuture().orTimeout(operationTimeoutMs, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          LeaseException failure = cause instanceof TimeoutException
              ? new LeaseTimeoutException("lease " + settings.leaseName() + ": Redis did not answer within "
                  + operationTimeoutMs + " ms")
              : new LeaseException("lease " + settings.leaseName() + ": " + rootMessage(cause));
          return CompletableFuture.failedFuture(failure);
        });
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
