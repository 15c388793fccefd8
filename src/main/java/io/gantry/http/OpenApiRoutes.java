package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * GET /openapi.json: the OpenAPI 3.1 document of this API, as kept in the repository ({@value #DOCUMENT} on the
 * classpath). It needs the token like every endpoint but the probes: it describes the API, and the repository has it
 * for anyone who needs it without a node. OpenApiDocumentTest holds it to the routes and their answers.
 */
final class OpenApiRoutes implements RouteProvider {
  static final String DOCUMENT = "openapi.json";

  @Override
  public Route route() {
    return path("openapi.json", () -> get(() -> getFromResource(DOCUMENT, ContentTypes.APPLICATION_JSON)));
  }
}
