package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /: the dashboard ({@code ui/dashboard.html} on the classpath; its scripts and styles are under /ui/, served by
 * {@link RunPageRoutes}, nothing from another host). It holds no data: the page polls the public API with the
 * user's token for executions, the queue, workers and health.
 */
final class DashboardRoutes implements RouteProvider {
  static final String PAGE = "ui/dashboard.html";

  @Override
  public Route route() {
    return pathSingleSlash(() -> get(() -> getFromResource(PAGE, ContentTypes.TEXT_HTML_UTF8)));
  }
}
