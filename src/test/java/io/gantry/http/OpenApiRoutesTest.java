package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.testkit.TestHttpClient;
import io.gantry.testkit.TestNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The OpenAPI document against the routes, both ways: every operation it describes is a route of the running node
 * that answers one of the documented statuses with a body of the documented schema, and every route the code
 * declares ({@link RouteSourceScan}, checked against the running route tree) is in the document. The pages for people
 * ({@code GET /} and everything under {@code /ui}) are HTML, not API: they are left out of the document, and the
 * document must not have them.
 *
 * <p>A route miss is told from a resource's 404 by the route tree's own answer: {@code 404 NOT_FOUND} "no such
 * endpoint" for an unknown path, {@code 405} for a known path with another method; an unknown execution, worker or
 * lock is a 404 with another message.
 */
class OpenApiRoutesTest {
  static final String TOKEN = "openapi-token";
  /**
   * Documented routes that other branches add at the same time (API.md §3): allowed to be absent from this code
   * only; once merged they are checked like the rest. Empty this set when they have landed.
   */
  static final Set<String> PENDING = Set.of();
  static final String PLACEHOLDER = "x-openapi-probe";

  @RegisterExtension
  static final TestNode node = TestNode.builder().api().awaitIndex().token(TOKEN).build();
  static final TestHttpClient api = node.http();
  static final OpenApiDocument doc = OpenApiDocument.load();

  static boolean isPage(String route) {
    String path = route.substring(route.indexOf(' ') + 1);
    return path.equals("/") || path.equals("/ui") || path.startsWith("/ui/");
  }

  /** The route tree's own refusal: no route has this path (404 "no such endpoint") or this method (405). */
  static boolean routeMiss(int status, String body) {
    if (status == 405) {
      return true;
    }
    return status == 404 && body.contains("\"NOT_FOUND\"") && body.contains("no such endpoint");
  }

  @Test
  void everyDocumentedOperationIsARouteThatAnswersAsDocumented() throws Exception {
    List<String> problems = new ArrayList<>();
    List<String> pendingMissing = new ArrayList<>();
    try {
      for (OpenApiDocument.Operation op : doc.operations()) {
        String path = doc.examplePath(op);
        if (op.node().path("responses").path("200").path("content").has("text/event-stream")) {
          // an event stream ends with its execution: read the status and headers only
          HttpResponse<InputStream> r = api.client().send(request(op.method(), path, null),
              HttpResponse.BodyHandlers.ofInputStream());
          try (InputStream body = r.body()) {
            String text = r.statusCode() == 200 ? "" : new String(body.readAllBytes());
            check(op, r.statusCode(), text, r.headers().firstValue("Content-Type").orElse(""), problems,
                pendingMissing);
          }
          continue;
        }
        String body = doc.exampleBody(op).map(JsonNode::toString).orElse(null);
        TestHttpClient.Answer a = api.json(op.method(), path, body);
        check(op, a.status(), a.body(), a.header("Content-Type"), problems, pendingMissing);
      }
    } finally {
      api.post("/queue/resume", null);
      api.post("/execute/train-2026-12-01/cancel", null);
    }
    if (!pendingMissing.isEmpty()) {
      System.out.println("OpenApiRoutesTest: PENDING routes not in this code yet: " + pendingMissing);
    }
    assertTrue(problems.isEmpty(), "operations that do not answer as documented:\n" + String.join("\n", problems));
  }

  private static void check(OpenApiDocument.Operation op, int status, String body, String contentType,
      List<String> problems, List<String> pendingMissing) {
    System.out.println("OpenApiRoutesTest: " + op + " -> " + status);
    if (routeMiss(status, body)) {
      if (PENDING.contains(op.toString())) {
        pendingMissing.add(op.toString());
      } else {
        problems.add(op + ": no such route (" + status + " " + body + ")");
      }
      return;
    }
    var response = doc.response(op, status);
    if (response.isEmpty()) {
      problems.add(op + ": answered " + status + ", documented only " + doc.statuses(op) + ": " + body);
      return;
    }
    String mediaType = contentType == null ? "" : contentType.split(";")[0].trim();
    if (!response.get().path("content").has(mediaType)) {
      problems.add(op + " " + status + ": answered " + contentType + ", documented "
          + iterable(response.get().path("content").fieldNames()));
    } else if (mediaType.equals("application/json")) {
      List<String> errors = doc.errors(response.get(), mediaType, new TestHttpClient.Answer(status, body, null).json());
      if (!errors.isEmpty()) {
        problems.add(op + " " + status + ": " + errors + " in " + body);
      }
    }
  }

  @Test
  void everyRouteOfTheCodeIsDocumented() {
    Set<String> code = RouteSourceScan.routes(Path.of("src/main/java/io/gantry/http"));
    Set<String> api = code.stream().filter(r -> !isPage(r)).collect(Collectors.toCollection(TreeSet::new));
    assertFalse(api.isEmpty(), "the scan found no routes");
    assertTrue(api.stream().noneMatch(r -> r.startsWith("ANY ")), "routes with no method directive: " + api);

    Set<String> documented = doc.shapes();
    assertTrue(documented.stream().noneMatch(OpenApiRoutesTest::isPage), "pages are not API: " + documented);
    Set<String> undocumented = new TreeSet<>(api);
    undocumented.removeAll(documented);
    assertEquals(Set.of(), undocumented, "routes of the code that the document does not describe");

    Set<String> notInCode = new TreeSet<>(documented);
    notInCode.removeAll(api);
    Set<String> pendingShapes = PENDING.stream().map(p -> p.replaceAll("\\{[^}]+}", "{}")).collect(Collectors.toSet());
    notInCode.removeAll(pendingShapes);
    assertEquals(Set.of(), notInCode, "documented operations that no route of the code declares");
  }

  /**
   * The scan is held to the running route tree: each route it found is there (PATCH, which no route takes, answers
   * 405 listing the route's method), and no path near one of them (one segment changed to another word of the API,
   * or one more segment) is answered by a route the scan did not find.
   */
  @Test
  void theScanFindsWhatTheRunningRouteTreeAnswers() throws Exception {
    Set<String> code = RouteSourceScan.routes(Path.of("src/main/java/io/gantry/http"));
    List<String> templates = code.stream().filter(r -> !isPage(r)).map(r -> r.substring(r.indexOf(' ') + 1))
        .distinct().toList();
    for (String route : code) {
      if (isPage(route)) {
        continue;
      }
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1).replace("{}", PLACEHOLDER);
      HttpResponse<String> r = api.client().send(request("PATCH", path, null), HttpResponse.BodyHandlers.ofString());
      assertEquals(405, r.statusCode(), route + " is not a route of the running node: " + r.body());
      assertTrue(r.headers().firstValue("Allow").orElse("").contains(method), route + ": Allow "
          + r.headers().firstValue("Allow"));
    }
    Set<String> words = new TreeSet<>();
    templates.forEach(t -> words.addAll(List.of(t.substring(1).split("/"))));
    words.remove("{}");
    words.add(PLACEHOLDER);
    Set<String> probes = new LinkedHashSet<>();
    for (String t : templates) {
      String[] segments = t.substring(1).split("/");
      for (String w : words) {
        for (int i = 0; i < segments.length; i++) {
          String[] changed = segments.clone();
          changed[i] = w;
          probes.add(concrete(changed));
        }
        probes.add(concrete(segments) + "/" + w);
      }
    }
    List<String> unknown = new ArrayList<>();
    for (String probe : probes) {
      HttpResponse<String> r = api.client().send(request("PATCH", probe, null), HttpResponse.BodyHandlers.ofString());
      boolean answered = !(r.statusCode() == 404 && r.body().contains("no such endpoint"))
          && templates.stream().noneMatch(t -> matches(t, probe));
      if (answered && r.statusCode() == 405 && r.headers().firstValue("Allow").orElse("").contains("GET")) {
        // a method directive outside the path matchers (HealthRoutes) refuses the method before the path is
        // looked at: GET, which has no side effects, tells whether the path exists
        HttpResponse<String> g = api.client().send(request("GET", probe, null), HttpResponse.BodyHandlers.ofString());
        answered = !routeMiss(g.statusCode(), g.body());
      }
      if (answered && !isPage("PATCH " + probe)) {
        unknown.add(probe + " -> " + r.statusCode() + " " + r.headers().firstValue("Allow").orElse(""));
      }
    }
    System.out.println("OpenApiRoutesTest: " + probes.size() + " paths probed around " + templates.size()
        + " route templates");
    assertEquals(List.of(), unknown, "paths the running node answers that the scan has no route for");
  }

  /** Metric tags name each documented route's template (MetricsRouteTemplates knows the API's fixed words). */
  @Test
  void metricTagsKeepEveryDocumentedTemplate() {
    List<String> wrong = new ArrayList<>();
    for (OpenApiDocument.Operation op : doc.operations()) {
      String expected = op.template().replaceAll("\\{[^}]+}", "{id}");
      String tag = MetricsRouteTemplates.of(op.template().replaceAll("\\{[^}]+}", PLACEHOLDER));
      if (!tag.equals(expected)) {
        wrong.add(op + " is tagged " + tag);
      }
    }
    assertEquals(List.of(), wrong);
  }

  private static String concrete(String[] segments) {
    return "/" + String.join("/", segments).replace("{}", PLACEHOLDER);
  }

  private static boolean matches(String template, String path) {
    String[] t = template.substring(1).split("/");
    String[] p = path.substring(1).split("/");
    if (t.length != p.length) {
      return false;
    }
    for (int i = 0; i < t.length; i++) {
      if (!t[i].equals("{}") && !t[i].equals(p[i])) {
        return false;
      }
    }
    return true;
  }

  private static HttpRequest request(String method, String path, String json) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + TOKEN);
    if (json != null) {
      b.header("Content-Type", "application/json");
    }
    return b.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private static String iterable(java.util.Iterator<String> it) {
    List<String> all = new ArrayList<>();
    it.forEachRemaining(all::add);
    return all.toString();
  }
}
