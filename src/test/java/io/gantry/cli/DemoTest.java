package io.gantry.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.testkit.FixedPorts;
import io.gantry.testkit.GantryScript;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's first command, run non-interactively: the demo pipeline completes and names the chosen model. */
@Tag("slow")
@ExtendWith(FixedPorts.class)
class DemoTest {

  @Test
  void demoRunsTheExamplePipelineToTheEnd() throws Exception {
    // Run from the test classpath: Maven packages the jar only after the tests.
    Process p = GantryScript.environment(new ProcessBuilder("bin/gantry", "demo", "--no-wait", "--timeout", "240")
        .directory(Path.of(".").toAbsolutePath().toFile()).redirectErrorStream(true)).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the demo ended");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("chosen model: medium"), out);
    assertTrue(out.contains("dashboard:"), out);
    assertTrue(out.contains("/ui/executions/train-pipeline-"), "the demo names the run page: " + out);
  }
}
