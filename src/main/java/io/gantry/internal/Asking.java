package io.gantry.internal;

import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.GantryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

/**
 * Internal. How the edges ask actors: with a timeout, completing on a Pekko dispatcher, and failing with a
 * {@link GantryException} (an error reply's "CODE: message" keeps its code; no answer in time, or any other failure,
 * is UNAVAILABLE).
 */
public final class Asking {
  private final ActorSystem<?> system;
  private final Duration timeout;

  public Asking(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  /** Asks for a {@link StatusReply}; its error becomes a GantryException with the reply's code. */
  public <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message) {
    return ask(target, message, timeout);
  }

  /** As {@link #ask(RecipientRef, Function)} with another timeout, for requests that wait on purpose (long polls). */
  public <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message,
      Duration within) {
    return settled(AskPattern.ask(target, message::apply, within, system.scheduler())).handle((r, e) -> {
      if (e != null) {
        throw unavailable(e, within);
      }
      if (r.isError()) {
        throw GantryException.fromReply(r.getError().getMessage());
      }
      return r.getValue();
    });
  }

  /** Asks for a plain answer (not a StatusReply). */
  public <T, M> CompletionStage<T> askPlain(RecipientRef<M> target, Function<ActorRef<T>, M> message) {
    return settled(AskPattern.ask(target, message::apply, timeout, system.scheduler())).exceptionally(e -> {
      throw unavailable(e);
    });
  }

  /**
   * Asks every key's target at once ({@code one} makes the stage of a key); the answers in the keys' order, or the
   * first failure as a GantryException.
   */
  public <K, T> CompletionStage<List<T>> each(Collection<K> keys, Function<K, CompletionStage<T>> one) {
    List<CompletableFuture<T>> all = new ArrayList<>(keys.size());
    keys.forEach(k -> all.add(one.apply(k).toCompletableFuture()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, e) -> {
      if (e != null) {
        throw unavailable(e);
      }
      return all.stream().map(CompletableFuture::join).toList();
    });
  }

  /**
   * The same outcome as a plain CompletableFuture, completed on a Pekko dispatcher thread. Stages that Pekko
   * returns are Scala futures seen through a CompletableFuture that runs every callback "async" on the JDK's
   * common pool, which on a machine of two cores or fewer starts a new thread per callback.
   */
  public <T> CompletableFuture<T> settled(CompletionStage<T> stage) {
    CompletableFuture<T> plain = new CompletableFuture<>();
    stage.whenCompleteAsync((value, error) -> {
      if (error != null) {
        plain.completeExceptionally(error);
      } else {
        plain.complete(value);
      }
    }, system.executionContext());
    return plain;
  }

  /** As {@link #unavailable(Throwable, Duration)} for a request with this asker's timeout. */
  public GantryException unavailable(Throwable e) {
    return unavailable(e, timeout);
  }

  /** What a failed request stands for: a GantryException as it is, no answer in time or anything else UNAVAILABLE. */
  public static GantryException unavailable(Throwable e, Duration within) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof GantryException g) {
      return g;
    }
    if (cause instanceof TimeoutException) {
      return new GantryException(ErrorCode.UNAVAILABLE, "no answer within " + within.toMillis()
          + " ms (the cluster may be starting, or Redis may be unreachable)");
    }
    return new GantryException(ErrorCode.UNAVAILABLE, rootMessage(cause));
  }

  /** The innermost cause's message (its class name when it has none). */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
