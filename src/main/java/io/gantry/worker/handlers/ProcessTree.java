package io.gantry.worker.handlers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Ends a process and everything it started: politely (SIGTERM) first, forcibly (SIGKILL) after a grace period. */
final class ProcessTree {

  private static final long POLL_MS = 10;

  private ProcessTree() {}

  static void kill(ProcessHandle root, Duration grace) throws InterruptedException {
    // Taken before anything dies: an orphaned child is no longer listed as a descendant.
    Set<ProcessHandle> tree = withDescendants(List.of(root));
    tree.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    List<ProcessHandle> running = stillRunning(tree);
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
      running = stillRunning(running);
    }
    if (!running.isEmpty()) {
      // Survivors may have started children during the grace period: take those too.
      withDescendants(running).forEach(ProcessHandle::destroyForcibly);
    }
  }

  /**
   * True while the process runs. A zombie (exited, not yet reaped) does not run, although
   * {@link ProcessHandle#isAlive()} says it is alive: orphans are reaped by the container's PID 1,
   * which may take seconds, and waiting for that would only stretch the grace period.
   */
  static boolean isRunning(ProcessHandle process) {
    return process.isAlive() && !isZombie(process.pid());
  }

  private static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      // No procfs (not Linux) or the process is gone: isAlive() alone decides.
      return false;
    }
  }

  private static List<ProcessHandle> stillRunning(Collection<ProcessHandle> processes) {
    return processes.stream().filter(ProcessTree::isRunning).toList();
  }

  private static Set<ProcessHandle> withDescendants(List<ProcessHandle> processes) {
    Set<ProcessHandle> tree = new LinkedHashSet<>();
    for (ProcessHandle process : processes) {
      process.descendants().forEach(tree::add);
      tree.add(process);
    }
    return tree;
  }
}
