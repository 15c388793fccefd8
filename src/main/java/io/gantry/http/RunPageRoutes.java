package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /ui/executions/{id}: one execution's page (its DAG drawn live, see {@code ui/run.html} on the classpath), and
 * GET /ui/{file}: the pages' scripts, styles and the npm libraries the build copied into {@code ui/vendor/}. They
 * hold no data (the page reads the execution through the public API with the user's token), so they are served
 * without one, like the dashboard.
 */
final class RunPageRoutes implements RouteProvider {
  static final String PAGE = "ui/run.html";

  @Override
  public Route route() {
    return pathPrefix("ui", () -> get(() -> concat(
        path(segment("executions").slash(segment()), id -> getFromResource(PAGE, ContentTypes.TEXT_HTML_UTF8)),
        getFromResourceDirectory("ui"))));
  }
}
