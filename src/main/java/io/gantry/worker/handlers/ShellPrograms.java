package io.gantry.worker.handlers;

import io.gantry.dag.ShellAllowList;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A worker's shell allow-list at run time: the rule of {@link ShellAllowList}, plus resolving a bare name on the
 * worker's own {@code PATH} (read at start), so a job's {@code env.PATH} cannot point an allowed name elsewhere.
 */
final class ShellPrograms {

  /** Either the executable to start or why the command is refused. */
  record Verdict(String executable, String refusal) {}

  private final Set<String> allowed;
  private final String[] searchPath;

  ShellPrograms(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
    String path = System.getenv("PATH");
    this.searchPath = path == null ? new String[0] : path.split(File.pathSeparator);
  }

  Verdict check(String program) {
    Optional<String> canonical = ShellAllowList.canonical(program);
    if (canonical.isEmpty() || !allowed.contains(canonical.get())) {
      return new Verdict(null, "command \"" + program + "\" is not allowed on this worker: "
          + "gantry.worker.shell.allowed-commands is " + new TreeSet<>(allowed)
          + (canonical.isEmpty() ? " (a relative path never matches)" : ""));
    }
    String name = canonical.get();
    if (name.startsWith("/")) {
      return new Verdict(name, null);
    }
    for (String dir : searchPath) {
      if (dir.isEmpty() || !dir.startsWith("/")) {
        continue; // a relative PATH entry would depend on the job's workingDir
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return new Verdict(candidate.toString(), null);
      }
    }
    return new Verdict(null, "cannot start command \"" + program + "\": not found on this worker's PATH");
  }
}
