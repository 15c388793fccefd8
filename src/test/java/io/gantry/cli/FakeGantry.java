package io.gantry.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tiny stand-in for a node's HTTP API: canned answers per "METHOD path?query", the last one repeating (an
 * {@code /events} path answers as Server-Sent Events: its body is the stream, sent whole, then closed). Started
 * when built; as a JUnit 5 extension in an instance field ({@code @RegisterExtension final FakeGantry gantry = new
 * FakeGantry();}) it is stopped after each test.
 */
final class FakeGantry implements AutoCloseable, AfterEachCallback {
  record Reply(int status, String body) {
  }

  record Request(String method, String uri, String authorization, String body) {
  }

  private final HttpServer server;
  private final Map<String, Deque<Reply>> replies = new ConcurrentHashMap<>();
  final List<Request> requests = new CopyOnWriteArrayList<>();

  FakeGantry() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Runs the CLI in-process against this server ({@code --server} added to {@code args}). */
  CliRun run(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--server";
    all[args.length + 1] = url();
    return CliRun.of(all);
  }

  FakeGantry on(String request, int status, String... bodies) {
    Deque<Reply> queue = replies.computeIfAbsent(request, k -> new ArrayDeque<>());
    for (String body : bodies) {
      queue.add(new Reply(status, body));
    }
    return this;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String uri = exchange.getRequestURI().toString();
    requests.add(new Request(exchange.getRequestMethod(), uri,
        exchange.getRequestHeaders().getFirst("Authorization"), body));
    Deque<Reply> queue = replies.get(exchange.getRequestMethod() + " " + uri);
    Reply reply;
    synchronized (this) {
      reply = queue == null ? new Reply(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no route " + uri
          + "\",\"details\":[]}}") : queue.size() > 1 ? queue.poll() : queue.peek();
    }
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", uri.endsWith("/events") && reply.status() == 200
        ? "text/event-stream" : "application/json");
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }
}
