package io.gantry.worker.remote;

import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerInfo;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the HTTP workers' runtime needs of the cluster, given by the edge that hosts it (the API node), so that the
 * runtime knows the protocol and nothing of the facade.
 */
public interface ClusterAccess {

  /** The registry of a pool. */
  RecipientRef<RegistryProtocol.Command> registry(String pool);

  /** The Execution of an execution id. */
  RecipientRef<ExecutionProtocol.Command> execution(String executionId);

  /**
   * Asks for a {@link StatusReply} with the API's ask timeout: an error reply fails with a GantryException of its
   * code, no answer in time with UNAVAILABLE.
   */
  <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message);

  /** As {@link #ask(RecipientRef, Function)} within {@code timeout}, for asks that wait on purpose (long polls). */
  <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message,
      Duration timeout);

  /** Every pool that exists: configured, or recorded in Redis by its registry. */
  CompletionStage<Set<String>> knownPools();

  /** The workers of these pools, merged. */
  CompletionStage<List<WorkerInfo>> workers(Collection<String> pools);
}
