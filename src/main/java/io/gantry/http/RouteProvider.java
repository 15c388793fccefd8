package io.gantry.http;

import org.apache.pekko.http.javadsl.server.Route;

/** One resource's routes (e.g. {@link LockRoutes}); {@link GantryHttp} serves them all behind errors and auth. */
@FunctionalInterface
interface RouteProvider {
  Route route();
}
