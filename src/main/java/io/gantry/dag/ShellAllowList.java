package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which executables a worker lets {@code shell} jobs start (OPERATIONS.md "What a shell job can do"). Only the
 * program, {@code config.command[0]}, is matched, never its arguments; in canonical form:
 * <ul>
 *   <li>a bare name ({@code echo}) stays as written: it matches only the bare entry {@code echo}, and the worker
 *       runs what its own {@code PATH} (not the job's {@code env}) resolves it to;</li>
 *   <li>an absolute path ({@code /usr/bin/../bin/echo}) is normalized ({@code /bin/echo}) and matches only that
 *       absolute entry, so {@code /tmp/x/echo} never matches {@code echo};</li>
 *   <li>a relative path with a slash ({@code ./x}, {@code bin/x}) depends on the job's {@code workingDir} and never
 *       matches.</li>
 * </ul>
 * Entries are bare names or absolute paths. Allowing a shell or an interpreter ({@code sh}, {@code bash},
 * {@code python3}, {@code env}, {@code xargs}...) allows whatever it is told to run: {@code sh -c "rm -rf ~"}.
 */
public final class ShellAllowList {

  private ShellAllowList() {}

  /** The program in canonical form, or empty when no allow-list can match it (a relative path, blank). */
  public static Optional<String> canonical(String program) {
    if (program == null || program.isBlank() || program.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    if (program.indexOf('/') < 0) {
      return Optional.of(program);
    }
    if (!program.startsWith("/")) {
      return Optional.empty();
    }
    return Optional.of(Path.of(program).normalize().toString());
  }

  /** The program of a {@code shell} job's config ({@code command[0]}) in canonical form, if it has one. */
  public static Optional<String> programOf(JsonNode config) {
    if (config == null || !config.path("command").isArray() || config.path("command").isEmpty()) {
      return Optional.empty();
    }
    JsonNode first = config.path("command").get(0);
    return first.isTextual() ? canonical(first.textValue()) : Optional.empty();
  }

  /** Validated, canonical entries of a configured allow-list; a bad entry throws, naming {@code setting}. */
  public static Set<String> parse(List<String> entries, String setting) {
    Set<String> allowed = new LinkedHashSet<>();
    List<String> bad = new ArrayList<>();
    for (String entry : entries) {
      String trimmed = entry == null ? "" : entry.trim();
      Optional<String> c = canonical(trimmed);
      if (c.isEmpty()) {
        bad.add("'" + entry + "'");
      } else {
        allowed.add(c.get());
      }
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException(setting + ": " + String.join(", ", bad)
          + " is neither a bare command name (echo) nor an absolute path (/usr/bin/echo)");
    }
    return Set.copyOf(allowed);
  }
}
