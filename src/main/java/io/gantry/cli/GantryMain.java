package io.gantry.cli;

import io.gantry.node.NodeCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** The {@code gantry} command line: a node, or a client of a node's HTTP API (API.md §1). */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = GantryMain.Version.class,
    description = "Gantry: a distributed DAG orchestrator.",
    subcommands = {NodeCommand.class, SubmitCommand.class, StatusCommand.class, ListCommand.class,
        ExecutionActionCommand.Cancel.class, ExecutionActionCommand.Pause.class, ExecutionActionCommand.Resume.class,
        ExecutionActionCommand.Retry.class, WorkersCommand.class, QueueCommand.class},
    footer = {"", "Exit codes: 0 success, 1 the operation failed, 2 bad usage or input."})
public final class GantryMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    // With one or two cores the JDK's common pool has a single thread, and CompletableFuture then starts a new
    // thread for every async callback; libraries under us use it. Two threads make it a pool.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with Gantry's exit codes for failures outside the API commands (e.g. a bad node config). */
  public static CommandLine commandLine() {
    return new CommandLine(new GantryMain()).setExecutionExceptionHandler((e, cmd, parsed) -> {
      boolean badInput = e instanceof IllegalArgumentException;
      cmd.getErr().println("gantry " + cmd.getCommandName() + ": " + (e.getMessage() != null ? e.getMessage() : e));
      if (!badInput) {
        e.printStackTrace(cmd.getErr());
      }
      return badInput ? CliFailure.BAD_INPUT : CliFailure.FAILED;
    });
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  /** The version recorded in the jar's manifest, if any. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = GantryMain.class.getPackage().getImplementationVersion();
      return new String[] {"gantry " + (v != null ? v : "(development build)")};
    }
  }
}
