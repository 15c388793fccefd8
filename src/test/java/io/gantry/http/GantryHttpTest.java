package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.pattern.AskTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GantryHttpTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  record Job(String id, Integer priority, List<String> dependsOn) {
    Job {
      if (priority != null && (priority < 1 || priority > 10)) {
        throw new IllegalArgumentException("priority must be 1..10, not " + priority);
      }
    }
  }

  private HttpFixture http;

  /** Echo, a failing route, a timing-out one: the shapes real routes fail in. */
  private static List<RouteProvider> testRoutes(JsonSupport json) {
    return List.of(
        () -> path("echo", () -> post(() -> json.entity(Job.class, json::ok))),
        () -> concat(
            path("boom", () -> complete(failWith(new IllegalStateException("secret internal detail")))),
            path("slow", () -> onSuccess(CompletableFuture.failedFuture(new AskTimeoutException("ask timed out")),
                x -> complete("never"))),
            path("health", () -> complete("ok"))));
  }

  private static String failWith(RuntimeException e) {
    throw e;
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
  }

  private static JsonNode error(HttpFixture.Answer a) throws Exception {
    JsonNode error = MAPPER.readTree(a.body()).path("error");
    assertTrue(error.isObject(), a.body());
    assertTrue(error.path("details").isArray(), a.body());
    return error;
  }

  @Test
  void jsonInAndOut() throws Exception {
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY, GantryHttpTest::testRoutes);

    HttpFixture.Answer a = http.json("POST", "/echo", "{\"id\":\"a\",\"priority\":3}");

    assertEquals(200, a.status());
    assertEquals("application/json", a.response().headers().firstValue("Content-Type").orElse(""));
    assertEquals(MAPPER.readTree("{\"id\":\"a\",\"priority\":3,\"dependsOn\":null}"), MAPPER.readTree(a.body()));
  }

  @Test
  void badBodiesAre400sThatNameTheProblem() throws Exception {
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY, GantryHttpTest::testRoutes);

    HttpFixture.Answer malformed = http.json("POST", "/echo", "{\"id\": \"a\",\n \"priority\": }");
    HttpFixture.Answer wrongType = http.json("POST", "/echo", "{\"id\":\"a\",\"priority\":\"high\"}");
    HttpFixture.Answer wrongNested = http.json("POST", "/echo", "{\"id\":\"a\",\"dependsOn\":[[1]]}");
    HttpFixture.Answer invalid = http.json("POST", "/echo", "{\"id\":\"a\",\"priority\":11}");
    HttpFixture.Answer notAnObject = http.json("POST", "/echo", "[1,2]");
    HttpFixture.Answer empty = http.json("POST", "/echo", "");

    assertEquals(400, malformed.status());
    assertEquals("INVALID_JSON", error(malformed).path("code").asText());
    assertTrue(error(malformed).path("message").asText().startsWith("malformed JSON at line 2, column"),
        malformed.body());
    assertEquals("field 'priority' must be a number", error(wrongType).path("message").asText());
    assertEquals("field 'dependsOn[0]' must be a string", error(wrongNested).path("message").asText());
    assertEquals("priority must be 1..10, not 11", error(invalid).path("message").asText());
    assertEquals("the request body must be a JSON object", error(notAnObject).path("message").asText());
    assertEquals(400, empty.status());
    assertEquals("the request needs a JSON body", error(empty).path("message").asText());
  }

  @Test
  void otherContentTypesAre415() throws Exception {
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY, GantryHttpTest::testRoutes);

    HttpFixture.Answer a = http.send("POST", "/echo", "application/x-www-form-urlencoded", "id=a", null);

    assertEquals(415, a.status());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", error(a).path("code").asText());
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() throws Exception {
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY, GantryHttpTest::testRoutes);

    HttpFixture.Answer missing = http.json("GET", "/nope/x", null);
    HttpFixture.Answer wrongMethod = http.json("GET", "/echo", null);

    assertEquals(404, missing.status());
    assertEquals("no such endpoint: /nope/x", error(missing).path("message").asText());
    assertEquals(405, wrongMethod.status());
    assertEquals("METHOD_NOT_ALLOWED", error(wrongMethod).path("code").asText());
    assertEquals("POST", wrongMethod.response().headers().firstValue("Allow").orElse(""));
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    http = HttpFixture.start("", 1024, GantryHttpTest::testRoutes);

    HttpFixture.Answer a = http.json("POST", "/echo", "{\"id\":\"" + "x".repeat(2000) + "\"}");

    assertEquals(413, a.status());
    assertEquals("PAYLOAD_TOO_LARGE", error(a).path("code").asText());
    assertEquals(200, http.json("POST", "/echo", "{\"id\":\"small\"}").status());
  }

  @Test
  void unexpectedFailuresAre500WithoutDetailsAndTimeouts503() throws Exception {
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY, GantryHttpTest::testRoutes);

    HttpFixture.Answer boom = http.json("GET", "/boom", null);
    HttpFixture.Answer slow = http.json("GET", "/slow", null);

    assertEquals(500, boom.status());
    assertEquals("INTERNAL_ERROR", error(boom).path("code").asText());
    assertFalse(boom.body().contains("secret") || boom.body().contains("at io.gantry"), boom.body());
    assertEquals(503, slow.status());
    assertEquals("TIMEOUT", error(slow).path("code").asText());
  }

  @Test
  void withATokenEveryEndpointButTheProbesNeedsIt() throws Exception {
    http = HttpFixture.start("s3cret", HttpFixture.DEFAULT_MAX_BODY, json -> List.of(
        () -> path("echo", () -> post(() -> json.entity(Job.class, json::ok))),
        () -> path(org.apache.pekko.http.javadsl.server.PathMatchers.segment("health")
            .slash(org.apache.pekko.http.javadsl.server.PathMatchers.segment()), probe -> complete(probe))));

    HttpFixture.Answer none = http.send("POST", "/echo", "application/json", "{\"id\":\"a\"}", null);
    HttpFixture.Answer wrong = http.send("POST", "/echo", "application/json", "{\"id\":\"a\"}", "s3cre");
    HttpFixture.Answer right = http.send("POST", "/echo", "application/json", "{\"id\":\"a\"}", "s3cret");
    HttpFixture.Answer unknownPath = http.send("GET", "/nope", null, null, null);

    assertEquals(401, none.status());
    assertEquals("UNAUTHORIZED", error(none).path("code").asText());
    assertEquals("Bearer realm=\"gantry\"", none.response().headers().firstValue("WWW-Authenticate").orElse(""));
    assertEquals(401, wrong.status());
    assertEquals(200, right.status());
    assertEquals(401, unknownPath.status());
    assertEquals(200, http.send("GET", "/health/live", null, null, null).status());
    assertEquals(200, http.send("GET", "/health/ready", null, null, null).status());
    assertEquals(401, http.send("GET", "/health/state", null, null, null).status());
  }

  @Test
  void withoutATokenNothingIsChecked() throws Exception {
    http = HttpFixture.start("", HttpFixture.DEFAULT_MAX_BODY, GantryHttpTest::testRoutes);

    assertEquals(200, http.send("POST", "/echo", "application/json", "{\"id\":\"a\"}", "anything").status());
    assertEquals(200, http.json("GET", "/health", null).status());
  }
}
