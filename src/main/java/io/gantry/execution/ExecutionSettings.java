package io.gantry.execution;

import com.typesafe.config.Config;
import io.gantry.protocol.RegistryProtocol;
import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.actor.typed.RecipientRef;

/** What every Execution entity of a node shares: tuning, the execution index and the way to its pools' registries. */
public record ExecutionSettings(
    int snapshotEvery,
    Duration passivateFinishedAfter,
    ExecutionIndex index,
    Function<String, RecipientRef<RegistryProtocol.Command>> registries) {

  /** Tuning from {@code gantry.execution}, with the node's index and the way to its pools' registries. */
  public static ExecutionSettings from(Config config, ExecutionIndex index,
      Function<String, RecipientRef<RegistryProtocol.Command>> registries) {
    return new ExecutionSettings(config.getInt("gantry.execution.snapshot-every"),
        config.getDuration("gantry.execution.passivate-finished-after"), index, registries);
  }

  RecipientRef<RegistryProtocol.Command> registry(String pool) {
    return registries.apply(pool);
  }
}
