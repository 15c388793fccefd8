package io.gantry.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code gantry} command and its client commands over a node's HTTP API (API.md §1). The program's entry point,
 * {@code io.gantry.main.Main}, adds the {@code node} command, so this package knows only the API's types.
 */
@Command(name = "gantry", mixinStandardHelpOptions = true, versionProvider = GantryMain.Version.class,
    description = "Gantry: a distributed DAG orchestrator.",
    subcommands = {SubmitCommand.class, StatusCommand.class, ListCommand.class,
        ExecutionActionCommand.Cancel.class, ExecutionActionCommand.Pause.class, ExecutionActionCommand.Resume.class,
        ExecutionActionCommand.Retry.class, WhyCommand.class, LogsCommand.class, EventsCommand.class,
        WorkersCommand.class, QueueCommand.class},
    footer = {"", "Exit codes: 0 success, 1 the operation failed, 2 bad usage or input."})
public final class GantryMain implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /**
   * The command line with {@code first} (e.g. the node command, listed first in the help as the one to start with),
   * then the client commands, and Gantry's exit codes.
   */
  public static CommandLine commandLine(Object... first) {
    CommandLine cli = new CommandLine(new GantryMain());
    Map<String, CommandLine> clients = new LinkedHashMap<>(cli.getSubcommands());
    clients.keySet().forEach(cli.getCommandSpec()::removeSubcommand);
    for (Object command : first) {
      cli.addSubcommand(command);
    }
    clients.forEach(cli::addSubcommand);
    // Set once every subcommand is added, so that it covers them all.
    return cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
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
