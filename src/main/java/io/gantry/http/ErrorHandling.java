package io.gantry.http;

import io.gantry.dag.DagValidationException;
import io.gantry.protocol.ErrorCode;
import io.gantry.protocol.GantryException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.apache.pekko.pattern.AskTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures and rejections into the API's JSON errors: {@link ApiException} as it says,
 * {@link GantryException} by its code (see {@link #fromGantry}), an invalid DAG document 400 with its details,
 * bad request bodies 400, wrong content type 415, wrong method 405, unknown path 404, body too large 413,
 * timeouts and Redis outages 503, anything else 500 with a reference to the logged exception (never a trace).
 */
final class ErrorHandling {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

  private final JsonSupport json;
  private final ExceptionHandler exceptionHandler;
  private final RejectionHandler rejectionHandler;

  ErrorHandling(JsonSupport json) {
    this.json = json;
    this.exceptionHandler = ExceptionHandler.newBuilder().matchAny(e -> Directives.complete(toResponse(e))).build();
    this.rejectionHandler = RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, r -> Directives.complete(malformed(r)))
        .handle(UnsupportedRequestContentTypeRejection.class, r -> Directives.complete(error(
            new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as JSON with Content-Type: application/json",
                null))))
        .handleAll(MethodRejection.class, this::methodNotAllowed)
        .handleNotFound(Directives.extractUri(uri -> Directives.complete(error(
            ApiException.of(ErrorCode.NOT_FOUND, "no such endpoint: " + uri.path())))))
        .build()
        .withFallback(RejectionHandler.defaultHandler().mapRejectionResponse(this::asJson));
  }

  /** Wraps {@code inner} so that every failure or rejection below it answers with a JSON error. */
  Route handle(Supplier<Route> inner) {
    return Directives.handleExceptions(exceptionHandler, () -> Directives.handleRejections(rejectionHandler, inner));
  }

  HttpResponse error(ApiException e) {
    return json.response(StatusCodes.get(e.status()), e.toError());
  }

  HttpResponse toResponse(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof ApiException api) {
      return error(api);
    }
    if (e instanceof GantryException g) {
      return error(fromGantry(g));
    }
    if (e instanceof DagValidationException d) {
      return error(new ApiException(ErrorCode.valueOf(d.code()), d.getMessage(), d.details()));
    }
    if (e instanceof EntityStreamSizeException size) {
      return error(tooLarge(size));
    }
    if (e instanceof IllegalRequestException bad) {
      // the status pekko-http chose (400, 405, 414...), under the one code of malformed requests
      return error(new ApiException(bad.status().intValue(), ErrorCode.BAD_REQUEST.name(), bad.info().summary(),
          null));
    }
    if (e instanceof AskTimeoutException || e instanceof TimeoutException) {
      return error(new ApiException(ErrorCode.TIMEOUT, "the cluster did not answer in time; try again", null));
    }
    if (redisUnreachable(e)) {
      return error(new ApiException(ErrorCode.REDIS_UNAVAILABLE, "Redis is not reachable; try again later", null));
    }
    String reference = UUID.randomUUID().toString();
    log.error("unexpected failure answering an HTTP request (reference {})", reference, e);
    return error(new ApiException(ErrorCode.INTERNAL_ERROR,
        "internal error; the node's log has the details under reference " + reference, null));
  }

  /**
   * A {@link GantryException} answered with its code's status ({@link ErrorCode#httpStatus}); an INTERNAL one is
   * logged (its text is a message written for users, never a trace).
   */
  static ApiException fromGantry(GantryException e) {
    if (e.errorCode().httpStatus() == 500) {
      log.error("internal failure answered as {}: {}: {}", e.errorCode().httpStatus(), e.code(), e.getMessage());
    }
    return new ApiException(e.errorCode(), e.getMessage(), e.details());
  }

  private HttpResponse malformed(MalformedRequestContentRejection r) {
    Throwable cause = unwrap(r.getCause());
    if (cause instanceof EntityStreamSizeException size) {
      return error(tooLarge(size));
    }
    if (cause instanceof ApiException || cause instanceof GantryException || cause instanceof DagValidationException) {
      return toResponse(cause);
    }
    return error(ApiException.of(ErrorCode.INVALID_BODY, "the request body could not be read: " + r.message()));
  }

  private static ApiException tooLarge(EntityStreamSizeException e) {
    return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE,
        "the request body is larger than the limit of " + e.limit() + " bytes (gantry.http.max-body)", null);
  }

  private Route methodNotAllowed(List<MethodRejection> rejections) {
    List<org.apache.pekko.http.javadsl.model.HttpMethod> allowed =
        rejections.stream().map(MethodRejection::supported).distinct().toList();
    String names = allowed.stream().map(m -> m.name()).collect(Collectors.joining(", "));
    return Directives.respondWithHeader(Allow.create(allowed.toArray(new org.apache.pekko.http.javadsl.model.HttpMethod[0])),
        () -> Directives.complete(error(new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
            "this endpoint accepts " + names, null))));
  }

  /** Pekko's own answer for the remaining rejections, with its text moved into the JSON error shape. */
  private HttpResponse asJson(HttpResponse response) {
    String text = response.entity() instanceof HttpEntity.Strict strict ? strict.getData().utf8String() : "";
    String code = response.status().reason().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    HttpResponse json = error(new ApiException(response.status().intValue(), code,
        text.isBlank() ? response.status().reason() : text.strip(), null));
    return json.withHeaders(response.getHeaders());
  }

  /** The Redis connection wraps Lettuce's error in one naming the address and operation: look at the causes. */
  private static boolean redisUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RedisConnectionException || t instanceof RedisCommandTimeoutException) {
        return true;
      }
    }
    return false;
  }

  private static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
