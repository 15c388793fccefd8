package io.gantry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The route scan reads nesting, path matchers and method directives as pekko-http applies them. */
class RouteSourceScanTest {

  @Test
  void readsPrefixesMatchersAndMethodsAsTheyNest() {
    String source = """
        final class R implements RouteProvider {
          public Route route() {
            // path("commented-out", () -> get(...)) is not a route
            return concat(pathPrefix("a", () -> concat(
                pathEndOrSingleSlash(() -> concat(post(this::x), get(this::y))),
                path("b", () -> post(() -> json.answer(() -> gantry.get("id")))),
                pathPrefix(segment(), id -> concat(
                    pathEnd(() -> delete(() -> done())),
                    path(segment("jobs").slash(segment()).slash("c"), j -> get(() -> done())))))),
              pathPrefix("h", () -> get(() -> concat(path("live", () -> ok()), path("ready", () -> ok())))),
              pathSingleSlash(() -> get(() -> getFromResource("page.html"))));
          }
        }
        """;
    assertEquals(Set.of("POST /a", "GET /a", "POST /a/b", "DELETE /a/{}", "GET /a/{}/jobs/{}/c", "GET /h/live",
        "GET /h/ready", "GET /"), RouteSourceScan.routesOf("R.java", RouteSourceScan.withoutComments(source)));
  }

  @Test
  void failsOnWhatItDoesNotUnderstand() {
    assertThrows(IllegalStateException.class, () -> RouteSourceScan.routesOf("R.java",
        "class R implements RouteProvider { Route route() { return path(integerSegment(), n -> get(() -> ok())); } }"));
    assertThrows(IllegalStateException.class, () -> RouteSourceScan.routesOf("R.java",
        "class R implements RouteProvider { Route route() { return pathPrefix(\"x\", () -> get(() -> ok())); } }"));
  }
}
