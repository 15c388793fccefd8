package io.gantry.persistence.redis;

import io.gantry.protocol.CborSerializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.BackoffSupervisorStrategy;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A small event-sourced entity on the plugin for the tests that fail Redis under it: it appends numbers, answers
 * with all it holds, and counts how its recoveries ended.
 */
final class NumberLog extends EventSourcedBehavior<NumberLog.Command, NumberLog.Appended, List<Integer>> {
  interface Command {}

  record Append(int value, ActorRef<StatusReply<Done>> replyTo) implements Command {}

  record Get(ActorRef<List<Integer>> replyTo) implements Command {}

  record Appended(int value) implements CborSerializable {}

  /** How the recoveries of the logs of one ActorSystem ended. */
  static final class Recoveries {
    final AtomicInteger completed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
  }

  private final Recoveries recoveries;

  private NumberLog(String id, BackoffSupervisorStrategy onPersistFailure, Recoveries recoveries) {
    super(PersistenceId.ofUniqueId(id), onPersistFailure);
    this.recoveries = recoveries;
  }

  private NumberLog(String id, Recoveries recoveries) {
    super(PersistenceId.ofUniqueId(id));
    this.recoveries = recoveries;
  }

  /** Without supervision: a failed write or recovery stops it, so the test sees it. */
  static NumberLog unsupervised(String id, Recoveries recoveries) {
    return new NumberLog(id, recoveries);
  }

  /** Restarts with backoff when Redis fails. */
  static NumberLog restartingWithBackoff(String id) {
    return new NumberLog(id,
        SupervisorStrategy.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), 0.1), new Recoveries());
  }

  @Override
  public List<Integer> emptyState() {
    return List.of();
  }

  @Override
  public CommandHandler<Command, Appended, List<Integer>> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Append.class, (state, cmd) -> Effect().persist(new Appended(cmd.value()))
            .thenReply(cmd.replyTo(), s -> StatusReply.ack()))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<List<Integer>, Appended> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Appended.class, (state, event) -> {
          List<Integer> next = new ArrayList<>(state);
          next.add(event.value());
          return List.copyOf(next);
        })
        .build();
  }

  @Override
  public SignalHandler<List<Integer>> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> recoveries.completed.incrementAndGet())
        .onSignal(RecoveryFailed.class, (state, signal) -> recoveries.failed.incrementAndGet())
        .build();
  }
}
