package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document passes a real linter: Redocly's CLI (npm {@code @redocly/cli}, pinned in package-lock.json and
 * installed by {@code npm ci}, which bin/test runs when node_modules lacks it) with the rules of redocly.yaml, without
 * an error or a warning. Its telemetry and update check are off: the lint talks to nobody.
 */
class OpenApiLintTest {
  static final Path REDOCLY = Path.of("node_modules", ".bin", "redocly");

  @Test
  void theDocumentPassesRedoclyLintCleanly() throws IOException, InterruptedException {
    assertTrue(Files.isExecutable(REDOCLY), REDOCLY + " is missing: run `npm ci --no-audit --no-fund` at the "
        + "repository root (bin/test does)");
    ProcessBuilder pb = new ProcessBuilder(List.of(REDOCLY.toString(), "lint", "--config", "redocly.yaml",
        "src/main/resources/" + OpenApiRoutes.DOCUMENT)).redirectErrorStream(true);
    pb.environment().put("REDOCLY_TELEMETRY", "off");
    pb.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    pb.environment().put("NO_COLOR", "1");
    Process lint = pb.start();
    lint.getOutputStream().close();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(lint.waitFor(120, TimeUnit.SECONDS), "redocly lint did not finish: " + output);
    assertEquals(0, lint.exitValue(), output);
    assertTrue(output.contains("Your API description is valid"), output);
    assertTrue(!java.util.regex.Pattern.compile("\\b\\d+ (warning|error)s?\\b").matcher(output).find(),
        "no warning either: " + output);
  }
}
