package io.gantry.http;

import io.gantry.Gantry;
import io.gantry.internal.Asking;
import io.gantry.protocol.ExecutionProtocol;
import io.gantry.protocol.RegistryProtocol;
import io.gantry.protocol.WorkerInfo;
import io.gantry.worker.remote.ClusterAccess;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.pattern.StatusReply;

/** The cluster as the HTTP workers' runtime sees it, through this API node's {@link Gantry} facade and asks. */
final class FacadeAccess implements ClusterAccess {
  private final Gantry gantry;
  private final Asking asking;

  FacadeAccess(Gantry gantry, Asking asking) {
    this.gantry = gantry;
    this.asking = asking;
  }

  @Override
  public RecipientRef<RegistryProtocol.Command> registry(String pool) {
    return gantry.registry(pool);
  }

  @Override
  public RecipientRef<ExecutionProtocol.Command> execution(String executionId) {
    return gantry.execution(executionId);
  }

  @Override
  public <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message) {
    return asking.ask(target, message);
  }

  @Override
  public <T, M> CompletionStage<T> ask(RecipientRef<M> target, Function<ActorRef<StatusReply<T>>, M> message,
      Duration timeout) {
    return asking.ask(target, message, timeout);
  }

  @Override
  public CompletionStage<Set<String>> knownPools() {
    return gantry.knownPools();
  }

  @Override
  public CompletionStage<List<WorkerInfo>> workers(Collection<String> pools) {
    return gantry.workers(pools);
  }
}
