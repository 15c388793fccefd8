package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The dashboard page, and the execution/queue/event endpoints behind a bearer token. */
class DashboardAndAuthTest {
  static final String TOKEN = "s3cret-token";
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().token(TOKEN).build();
  static final TestHttpClient api = node.http();

  @Test
  void dashboardIsASelfContainedPage() {
    TestHttpClient.Answer page = api.get("/");
    assertEquals(200, page.status());
    assertTrue(page.response().headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("<title>Gantry</title>"));
    assertTrue(page.body().contains("src=\"ui/dashboard.js\""), page.body());
    assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "no CDN or other remote resources");
    // Its scripts, served without the token too, read the public API only, on the node that served them.
    for (String script : new String[] {"dashboard.js", "dash-executions.js", "dash-queue.js", "dash-workers.js",
        "dash-health.js", "api.js"}) {
      TestHttpClient.Answer js = api.send("GET", "/ui/" + script, null, null);
      assertEquals(200, js.status(), script);
      assertFalse(js.body().matches("(?s).*https?://.*"), script + " names no other host");
    }
    assertTrue(api.get("/ui/dash-queue.js").body().contains("\"queue/stats\""));
    assertTrue(api.get("/ui/dash-workers.js").body().contains("\"workers/list\""));
  }

  @Test
  void endpointsNeedTheTokenAndRefusalsChangeNothing() {
    String doc = "{\"workflowId\": \"authwf\", \"executionId\": \"auth-1\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}";
    TestHttpClient.Answer anonymous = api.send("POST", "/execute/distributed", doc, null);
    assertEquals(401, anonymous.status());
    assertEquals("UNAUTHORIZED", anonymous.errorCode());
    assertEquals(401, api.send("POST", "/execute/distributed", doc, "wrong").status());
    assertEquals(404, api.get("/execute/auth-1/status").status(), "a refused submit stores nothing");

    assertEquals(200, api.send("GET", "/", null, null).status(), "the dashboard page itself holds no data");
    for (String path : new String[] {"/execute", "/execute/auth-1/events", "/queue/stats", "/queue/jobs"}) {
      assertEquals(401, api.send("GET", path, null, null).status(), path);
    }
    assertEquals(401, api.send("POST", "/queue/jobs", "{\"type\": \"noop\"}", null).status());
    assertEquals(401, api.send("POST", "/queue/pause", null, null).status());
    assertFalse(api.get("/queue/stats").json().get("paused").asBoolean(), "a refused pause changes nothing");

    assertEquals(202, api.post("/execute/distributed", doc).status());
    assertEquals("completed", api.awaitFinished("auth-1").get("status").asText());
    assertEquals(202, api.post("/queue/jobs", "{\"type\": \"noop\"}").status());
  }
}
