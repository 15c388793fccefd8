package io.gantry.main;

import io.gantry.cli.GantryMain;
import io.gantry.node.NodeCommand;
import picocli.CommandLine;

/**
 * The program's entry point ({@code bin/gantry}, the jar's Main-Class): the CLI's client commands plus
 * {@code gantry node}. It lives apart so that the client ({@code cli}) does not depend on the node it talks to.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // With one or two cores the JDK's common pool has a single thread, and CompletableFuture then starts a new
    // thread for every async callback; libraries under us use it. Two threads make it a pool.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
    System.exit(commandLine().execute(args));
  }

  /** Every {@code gantry} command, with Gantry's exit codes for failures outside the API commands. */
  public static CommandLine commandLine() {
    return GantryMain.commandLine(new NodeCommand());
  }
}
