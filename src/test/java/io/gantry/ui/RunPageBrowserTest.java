package io.gantry.ui;

import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The execution page in Debian's chromium against a real node (orchestrator, worker, api) on the test Redis:
 * src/test/browser/run-page.test.mjs draws a diamond and follows it to completed, shows a failed job's error and logs,
 * pauses and resumes from the page, lays out 1,000 jobs with elk and 10,000 with the simple layout.
 */
@Tag("slow")
@Tag("browser")
class RunPageBrowserTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().build();

  @TestFactory
  Stream<DynamicTest> runPage() {
    return BrowserScript.run("run-page.test.mjs", node.httpBase(), null, Duration.ofMinutes(8));
  }
}
