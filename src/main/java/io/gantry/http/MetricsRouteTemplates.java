package io.gantry.http;

import java.util.Set;

/**
 * The route template of a request path for metric tags: the resource and the API's fixed words are kept, every
 * other segment (an id) becomes {@code {id}}, so {@code /workers/w-1/jobs/ex:j:1/complete} is
 * {@code /workers/{id}/jobs/{id}/complete}. Unknown resources collapse to one tag value, keeping the tag set small.
 */
final class MetricsRouteTemplates {
  private static final int MAX_SEGMENTS = 6;
  private static final Set<String> RESOURCES = Set.of("execute", "queue", "workers", "locks", "health", "metrics",
      "dashboard", "assets", "openapi.json");
  private static final Set<String> WORDS = Set.of("distributed", "status", "pause", "resume", "cancel", "retry",
      "checkpoint", "events", "jobs", "result", "bulk", "stats", "drain", "clean", "register", "list", "poll",
      "heartbeat", "progress", "complete", "extend", "live", "ready", "state", "workers", "queue", "audit");

  private MetricsRouteTemplates() {}

  static String of(String path) {
    String[] segments = path.split("/");
    StringBuilder sb = new StringBuilder();
    int kept = 0;
    for (String s : segments) {
      if (s.isEmpty()) {
        continue;
      }
      if (kept == 0 && !RESOURCES.contains(s)) {
        return "/{unknown}";
      }
      if (kept == MAX_SEGMENTS) {
        return sb.append("/...").toString();
      }
      sb.append('/').append(kept == 0 || WORDS.contains(s) ? s : "{id}");
      kept++;
    }
    return kept == 0 ? "/" : sb.toString();
  }
}
