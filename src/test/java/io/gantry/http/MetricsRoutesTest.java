package io.gantry.http;

import static org.junit.jupiter.api.Assertions.*;

import io.gantry.dag.DagParser;
import io.gantry.protocol.ExecutionStatus;
import io.gantry.testkit.Await;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /metrics on a real node: Prometheus text with job counters, sampled queue and worker gauges, HTTP timings. */
class MetricsRoutesTest {
  @RegisterExtension
  static final TestNode node = TestNode.builder().api().config("gantry.metrics.sample-interval = 200ms").build();
  static final TestHttpClient api = node.http();

  static String scrape() {
    TestHttpClient.Answer a = api.get("/metrics");
    assertEquals(200, a.status());
    return a.body();
  }

  /** The value of the sample whose name and labels start with {@code series}, or NaN when absent. */
  static double value(String text, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + "[^ ]* ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE)
        .matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void servesPrometheusTextWithJobCounters() {
    String id = Await.result(node.gantry().submit(DagParser.parse(
        "{\"workflowId\": \"metered\", \"jobs\": [{\"id\": \"a\", \"type\": \"noop\"}]}"))).executionId();
    Await.until(() -> Await.result(node.gantry().status(id)), s -> s.status() == ExecutionStatus.COMPLETED,
        Duration.ofSeconds(30), "the execution to complete");
    TestHttpClient.Answer a = api.get("/metrics");
    assertEquals(200, a.status());
    String type = a.header("Content-Type");
    assertTrue(type.startsWith("text/plain") && type.contains("version=0.0.4"), type);
    assertTrue(value(a.body(), "gantry_jobs_completed_total") >= 1, a.body());
    assertTrue(value(a.body(), "gantry_jobs_started_total") >= 1, a.body());
    assertTrue(a.body().contains("gantry_dispatch_latency_seconds_bucket"), "dispatch latency histogram");
    assertTrue(a.body().contains("gantry_job_duration_seconds_bucket"), "job duration histogram");
  }

  @Test
  void queueAndWorkerGaugesFollowTheRegistries() {
    String id = Await.result(node.gantry().submit(DagParser.parse("""
        {"workflowId": "stuck", "priority": 7, "jobs": [
          {"id": "g", "type": "noop", "requiredCapabilities": ["gpu", "ssd"]}]}"""))).executionId();
    try {
      String text = Await.until(MetricsRoutesTest::scrape,
          t -> value(t, "gantry_queue_depth{pool=\"default\",priority=\"7\"") >= 1, Duration.ofSeconds(10),
          "the queued gpu job in the depth gauge");
      assertTrue(value(text, "gantry_queue_backlog{capability=\"gpu+ssd\",pool=\"default\"") >= 1, text);
      assertTrue(value(text, "gantry_queue_oldest_age_seconds{pool=\"default\"") >= 0, text);
      assertEquals(0, value(text, "gantry_queue_paused{pool=\"default\""));
      assertTrue(value(text, "gantry_worker_capacity{pool=\"default\"") >= 4, text);
      assertTrue(value(text, "gantry_worker_utilization{pool=\"default\"") >= 0, text);
      assertTrue(text.contains("gantry_workers{pool=\"default\",status="), text);
    } finally {
      Await.result(node.gantry().cancel(id));
    }
    Await.until(MetricsRoutesTest::scrape,
        t -> value(t, "gantry_queue_depth{pool=\"default\",priority=\"7\"") == 0, Duration.ofSeconds(10),
        "the depth gauge to drop after the cancel");
  }

  @Test
  void httpRequestsAreTimedByRouteTemplateNotByRawPath() {
    assertEquals(404, api.get("/workers/some-secret-id/status").status());
    String text = scrape();
    assertTrue(value(text,
        "gantry_http_requests_seconds_count{method=\"GET\",route=\"/workers/{id}/status\",status=\"404\"") >= 1,
        text);
    assertFalse(text.contains("some-secret-id"), "raw ids must not become tags");
  }

  @Test
  void routeTemplatesKeepWordsAndHideIds() {
    assertEquals("/workers/{id}/jobs/{id}/complete", MetricsRouteTemplates.of("/workers/w-1/jobs/ex:a:1/complete"));
    assertEquals("/execute/distributed", MetricsRouteTemplates.of("/execute/distributed"));
    assertEquals("/execute/{id}/jobs/{id}", MetricsRouteTemplates.of("/execute/ex-1/jobs/train"));
    assertEquals("/queue/jobs/bulk", MetricsRouteTemplates.of("/queue/jobs/bulk"));
    assertEquals("/locks/{id}/{id}/extend", MetricsRouteTemplates.of("/locks/db/l-9/extend"));
    assertEquals("/health/ready", MetricsRouteTemplates.of("/health/ready"));
    assertEquals("/", MetricsRouteTemplates.of("/"));
    assertEquals("/{unknown}", MetricsRouteTemplates.of("/wp-admin/login.php"));
    assertEquals("/workers/{id}/{id}/{id}/{id}/{id}/...", MetricsRouteTemplates.of("/workers/a/b/c/d/e/f/g"));
  }
}
