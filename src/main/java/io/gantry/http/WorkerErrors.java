package io.gantry.http;

import io.gantry.GantryException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Maps {@link GantryException} codes to HTTP answers for the worker, health and metrics routes, until
 * {@link ErrorHandling} maps them for every route; then {@link #mapped} can go.
 */
final class WorkerErrors {
  private WorkerErrors() {}

  static <T> CompletionStage<T> mapped(CompletionStage<T> stage) {
    return stage.exceptionally(e -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof GantryException g) {
        throw toApi(g);
      }
      throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
    });
  }

  static ApiException toApi(GantryException e) {
    String code = e.code();
    int status = switch (code) {
      case "NOT_FOUND" -> 404;
      case "CONFLICT", "STALE_ATTEMPT" -> 409;
      case "UNAVAILABLE" -> 503;
      default -> code.startsWith("INVALID") ? 400 : 500;
    };
    return new ApiException(status, code, e.getMessage(), e.details());
  }
}
