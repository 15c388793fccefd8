package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /: the dashboard, one self-contained page (no CDN) from {@code dashboard/index.html} on the classpath that polls
 * the API every 2 s for executions, queue figures and workers.
 */
final class DashboardRoutes implements RouteProvider {
  static final String PAGE = "dashboard/index.html";

  @Override
  public Route route() {
    return pathSingleSlash(() -> get(() -> getFromResource(PAGE, ContentTypes.TEXT_HTML_UTF8)));
  }
}
