package io.gantry.ui;

import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The execution page against a node with an auth token (src/test/browser/run-page-auth.test.mjs): the page loads
 * without one, asks for it on the API's 401, refuses a wrong one, keeps the right one in sessionStorage.
 */
@Tag("slow")
@Tag("browser")
class RunPageAuthBrowserTest {
  static final String TOKEN = "page-token-" + Long.toHexString(System.nanoTime());

  @RegisterExtension
  static final TestNode node = TestNode.builder().api().token(TOKEN).awaitIndex().build();

  @TestFactory
  Stream<DynamicTest> runPageWithAuth() {
    return BrowserScript.run("run-page-auth.test.mjs", node.httpBase(), TOKEN, Duration.ofMinutes(4));
  }
}
