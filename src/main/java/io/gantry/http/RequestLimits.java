package io.gantry.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.mapRouteResultFuture;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;

import io.gantry.protocol.ErrorCode;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.server.RouteResults;

/**
 * The node-protecting limits of API.md "Limits" in front of the routes (after auth): the submit rate per client and
 * the bound on queued attempts for every submit endpoint, open long polls per worker and per client, open event
 * streams per client. Requests are recognised by method and path, so the resource classes stay unaware of them. A
 * client is its bearer token (a hash of it, never the token; auth has accepted it by then) on a node with tokens,
 * else the connection's address. Refusals are 429
 * with Retry-After and details {@code {limit, bound}}, before anything is read or stored.
 */
final class RequestLimits {
  private static final Pattern SUBMIT = Pattern.compile("/execute/distributed(/bulk)?/?|/queue/jobs(/bulk)?/?");
  private static final Pattern POLL = Pattern.compile("/workers/([^/]+)/poll/?");
  private static final Pattern EVENTS = Pattern.compile("/execute/[^/]+/events/?");
  private static final long QUEUE_FULL_RETRY_SECONDS = 5;
  private static final long SLOTS_RETRY_SECONDS = 1;

  private final LimitSettings settings;
  private final SubmitRate rate;
  private final QueuedCount queued;
  private final ErrorHandling errors;
  private final OpenSlots polls = new OpenSlots();
  private final OpenSlots streams = new OpenSlots();
  /** Without tokens any Authorization header passes, so keying by it would give each made-up token a fresh bucket. */
  private final boolean byToken;

  RequestLimits(LimitSettings settings, QueuedCount queued, ErrorHandling errors, boolean byToken) {
    this.settings = settings;
    this.byToken = byToken;
    this.rate = new SubmitRate(settings.submitRate(), settings.submitBurst());
    this.queued = queued;
    this.errors = errors;
  }

  /** Every provider's routes behind the limits, as one provider. */
  RouteProvider around(List<RouteProvider> providers) {
    List<Route> routes = providers.stream().map(RouteProvider::route).toList();
    Route all = routes.isEmpty() ? Directives.reject()
        : Directives.concat(routes.get(0), routes.subList(1, routes.size()).toArray(new Route[0]));
    return () -> guard(() -> all);
  }

  Route guard(Supplier<Route> inner) {
    return extractRequest(request -> {
      String path = request.getUri().path();
      boolean post = request.method().equals(HttpMethods.POST);
      if (post && SUBMIT.matcher(path).matches()) {
        return submit(client(request), inner);
      }
      Matcher poll = POLL.matcher(path);
      if (post && poll.matches()) {
        return poll(poll.group(1), client(request), inner);
      }
      if (request.method().equals(HttpMethods.GET) && EVENTS.matcher(path).matches()) {
        return holding(streams, client(request), settings.streamsPerClient(), LimitSettings.STREAMS_PER_CLIENT,
            "event streams open", inner);
      }
      return inner.get();
    });
  }

  private Route submit(String client, Supplier<Route> inner) {
    if (rate.enabled()) {
      long wait = rate.take(client, System.nanoTime());
      if (wait > 0) {
        return tooMany(LimitSettings.SUBMIT_RATE, settings.submitRate(), wait, "too many submits from this client: "
            + LimitSettings.SUBMIT_RATE + " allows " + settings.submitRate() + " per second (burst "
            + settings.submitBurst() + ")");
      }
    }
    if (settings.maxQueued() <= 0) {
      return inner.get();
    }
    return onSuccess(queued.current(), n -> n < settings.maxQueued() ? inner.get()
        : tooMany(LimitSettings.MAX_QUEUED, settings.maxQueued(), QUEUE_FULL_RETRY_SECONDS, "the queue is full: "
            + n + " attempts are queued, " + LimitSettings.MAX_QUEUED + " is " + settings.maxQueued()));
  }

  private Route poll(String workerId, String client, Supplier<Route> inner) {
    return holding(polls, "worker:" + workerId, settings.pollsPerWorker(), LimitSettings.POLLS_PER_WORKER,
        "long polls open for worker " + workerId, () -> holding(polls, client, settings.pollsPerClient(),
            LimitSettings.POLLS_PER_CLIENT, "long polls open from this client", inner));
  }

  /** Holds a slot of {@code key} while the request runs, and while its streamed answer (an event stream) flows. */
  private Route holding(OpenSlots slots, String key, int max, String limit, String what, Supplier<Route> inner) {
    if (max <= 0) {
      return inner.get();
    }
    Runnable release = slots.tryOpen(key, max);
    if (release == null) {
      return tooMany(limit, max, SLOTS_RETRY_SECONDS, "too many " + what + ": " + limit + " is " + max);
    }
    // Failures inside become answers here, so every way out passes through releaseAfter.
    return mapRouteResultFuture(result -> result.thenApply(r -> releaseAfter(r, release))
        .whenComplete((r, e) -> {
          if (e != null) {
            release.run();
          }
        }), () -> errors.handle(inner));
  }

  /**
   * A strict answer releases at once; a streamed one when its stream ends or the client goes away. (An answer that
   * is never sent because the connection closed first is not materialized either; its slot is released with it
   * only if pekko-http runs the entity.)
   */
  private static RouteResult releaseAfter(RouteResult result, Runnable release) {
    if (result instanceof Complete done && !done.getResponse().entity().isStrict()) {
      ResponseEntity entity = done.getResponse().entity();
      ResponseEntity watched = HttpEntities.createChunked(entity.getContentType(), entity.getDataBytes()
          .watchTermination((mat, ended) -> {
            ended.whenComplete((d, e) -> release.run());
            return mat;
          }));
      return RouteResults.complete(done.getResponse().withEntity(watched));
    }
    release.run();
    return result;
  }

  private Route tooMany(String limit, Number bound, long retryAfterSeconds, String message) {
    return complete(errors.error(new ApiException(ErrorCode.TOO_MANY_REQUESTS, message,
            Map.of("limit", limit, "bound", bound, "retryAfterSeconds", retryAfterSeconds)))
        .addHeader(RetryAfter.create(retryAfterSeconds)));
  }

  /** The bearer token's hash when the node checks tokens and the request has one, else the connection's address. */
  private String client(HttpRequest request) {
    String auth = request.getHeader("Authorization").map(h -> h.value()).orElse("");
    if (byToken && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "token:" + sha256(auth.substring(7).trim()).substring(0, 16);
    }
    return "address:" + request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress).map(InetAddress::getHostAddress).orElse("unknown");
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
