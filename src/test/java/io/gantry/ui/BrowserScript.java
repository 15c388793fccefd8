package io.gantry.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs one browser test script of src/test/browser (node's own test runner, playwright-core driving Debian's
 * chromium) against a node, and turns each of the script's tests into a JUnit test: one node process and one
 * browser per script, so a class of browser tests pays chromium's start once. The script finds the node in
 * GANTRY_URL (and GANTRY_TOKEN when it has one); its whole output goes to target/browser-tests/NAME.log.
 * <pre>{@code @TestFactory Stream<DynamicTest> page() { return BrowserScript.run("run-page.test.mjs", node); }}</pre>
 */
public final class BrowserScript {
  public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("GANTRY_CHROMIUM", "/usr/bin/chromium"));
  private static final Path SCRIPTS = Path.of("src/test/browser");
  private static final Path PLAYWRIGHT = Path.of("node_modules/playwright-core/package.json");
  private static final Pattern RESULT = Pattern.compile("^(not )?ok \\d+ - (.*?)(?: # (SKIP|TODO).*)?$");

  private BrowserScript() {}

  /** One test's outcome as the script reported it (TAP): its name, and the reporter's details when it failed. */
  public record Outcome(String name, boolean passed, String details) {}

  /** Runs {@code script} against {@code baseUrl} (with {@code token}, or null) and answers a JUnit test per test. */
  public static Stream<DynamicTest> run(String script, String baseUrl, String token, Duration timeout) {
    List<Outcome> outcomes = outcomes(script, baseUrl, token, timeout);
    return outcomes.stream().map(o -> DynamicTest.dynamicTest(o.name(), () -> {
      if (!o.passed()) {
        fail(o.name() + "\n" + o.details());
      }
    }));
  }

  /** Runs the script and answers every test's outcome; fails if the script could not run at all. */
  public static List<Outcome> outcomes(String script, String baseUrl, String token, Duration timeout) {
    assertTrue(Files.isExecutable(CHROMIUM), "the browser tests need Debian's chromium at " + CHROMIUM
        + ": bin/test installs it when run as root (apt-get install chromium)");
    assertTrue(Files.exists(PLAYWRIGHT), "the browser tests need playwright-core from npm: run `npm ci` in the "
        + "repository root (the Maven build does when node_modules/ is missing)");
    Path log = Path.of("target/browser-tests", script.replaceAll("\\W+", "-") + ".log");
    List<String> lines = new ArrayList<>();
    int exit;
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=tap",
          SCRIPTS.resolve(script).toString()).redirectErrorStream(true);
      pb.environment().put("GANTRY_URL", baseUrl);
      pb.environment().put("GANTRY_CHROMIUM", CHROMIUM.toString());
      if (token != null) {
        pb.environment().put("GANTRY_TOKEN", token);
      }
      Process p = pb.start();
      Thread reader = new Thread(() -> copy(p, lines), "browser-script-output");
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        reader.join(5000);
        Files.write(log, lines, StandardCharsets.UTF_8);
        fail(script + " did not finish within " + timeout + "; its output is in " + log);
      }
      reader.join(10000);
      exit = p.exitValue();
      Files.write(log, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run node " + script + " (is Node.js installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    List<Outcome> outcomes = parse(lines);
    if (outcomes.isEmpty() || (exit != 0 && outcomes.stream().allMatch(Outcome::passed))) {
      fail(script + " exited " + exit + " without a failing test to show; its output (" + log + "):\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size())));
    }
    assertEquals(exit != 0, outcomes.stream().anyMatch(o -> !o.passed()), "exit code " + exit + " of " + script);
    return outcomes;
  }

  private static void copy(Process p, List<String> lines) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        System.out.println(line);
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      System.out.println("reading the script's output failed: " + e);
    }
  }

  /** The top-level results of node's TAP reporter, each failure with the indented lines before the next one. */
  static List<Outcome> parse(List<String> lines) {
    List<Outcome> out = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    List<String> snapshot;
    synchronized (lines) {
      snapshot = List.copyOf(lines);
    }
    for (int i = 0; i < snapshot.size(); i++) {
      Matcher m = RESULT.matcher(snapshot.get(i));
      if (m.matches()) {
        StringBuilder details = new StringBuilder(String.join("\n", pending));
        for (int j = i + 1; j < snapshot.size() && snapshot.get(j).startsWith("  "); j++) {
          details.append('\n').append(snapshot.get(j));
        }
        out.add(new Outcome(m.group(2).replace("\\#", "#"), m.group(1) == null, details.toString()));
        pending.clear();
      } else if (snapshot.get(i).startsWith("# ") && !snapshot.get(i).startsWith("# Subtest")) {
        pending.add(snapshot.get(i));
      }
    }
    return out;
  }
}
