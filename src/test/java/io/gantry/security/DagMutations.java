package io.gantry.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * The damage only a DAG document can take ({@link JsonMutator} picks it for bodies with {@code jobs}): cycles,
 * self-dependencies, unknown dependencies and types, absurd timeouts, retries, priorities, backoffs and sleeps,
 * duplicate ids, and many jobs (past the 10,000 allowed, sometimes). Never a shell job.
 */
final class DagMutations {
  private final Random random;

  DagMutations(Random random) {
    this.random = random;
  }

  JsonNode mutate(JsonNode tree, List<String> how) {
    ArrayNode jobs = (ArrayNode) tree.get("jobs");
    if (jobs.isEmpty() || !jobs.get(0).isObject()) {
      how.add("emptied jobs");
      return tree;
    }
    ObjectNode a = job(jobs);
    ObjectNode b = job(jobs);
    switch (random.nextInt(11)) {
      case 0 -> {
        how.add("cycle " + a.path("id") + " <-> " + b.path("id"));
        deps(a).add(b.path("id").asText());
        deps(b).add(a.path("id").asText());
      }
      case 1 -> {
        how.add("self-dependency " + a.path("id"));
        deps(a).add(a.path("id").asText());
      }
      case 2 -> {
        how.add("unknown dependency");
        deps(a).add("nope-" + random.nextInt(10));
      }
      case 3 -> {
        String type = JsonMutator.TYPES[random.nextInt(JsonMutator.TYPES.length)];
        how.add("type '" + type + "'");
        a.put("type", type);
      }
      case 4 -> {
        long t = new long[] {0, 1, -1, Long.MAX_VALUE, 1_000_000_000_000L, Integer.MAX_VALUE}[random.nextInt(6)];
        how.add("timeoutMs " + t);
        a.put("timeoutMs", t);
      }
      case 5 -> {
        int n = new int[] {0, 20, 21, -1, Integer.MAX_VALUE}[random.nextInt(5)];
        how.add("maxRetries " + n);
        a.put("maxRetries", n);
      }
      case 6 -> {
        long n = new long[] {0, 1, 10, 11, -5, Integer.MAX_VALUE + 1L}[random.nextInt(6)];
        how.add("priority " + n);
        (random.nextBoolean() ? a : (ObjectNode) tree).put("priority", n);
      }
      case 7 -> {
        how.add("absurd backoff");
        a.put("type", "fail").put("maxRetries", 1 + random.nextInt(20));
        a.putObject("config").put("times", 1 + random.nextInt(3));
        ObjectNode backoff = a.putObject("backoff");
        backoff.put("initialMs", new long[] {0, 1, Long.MAX_VALUE / 2, Long.MAX_VALUE}[random.nextInt(4)]);
        backoff.put("multiplier", new double[] {1.0, 1e308, 0.5, Double.MAX_VALUE}[random.nextInt(4)]);
        backoff.put("maxMs", new long[] {1, 10, Long.MAX_VALUE}[random.nextInt(3)]);
      }
      case 8 -> {
        long ms = new long[] {0, 1, 5, -1, Long.MAX_VALUE, Integer.MAX_VALUE * 1000L}[random.nextInt(6)];
        how.add("sleep ms " + ms);
        a.put("type", "sleep").putObject("config").put("ms", ms);
      }
      case 9 -> {
        how.add("duplicate job id " + b.path("id"));
        a.set("id", b.path("id").deepCopy());
      }
      default -> {
        int n = random.nextInt(4) == 0 ? 10_001 : 20 + random.nextInt(200);
        how.add(n + " jobs");
        for (int i = jobs.size(); i < n; i++) {
          ObjectNode j = jobs.addObject().put("id", "m" + i).put("type", "noop");
          if (i > 0 && random.nextBoolean()) {
            j.putArray("dependsOn").add(jobs.get(random.nextInt(i)).path("id").asText());
          }
        }
      }
    }
    return tree;
  }

  private ObjectNode job(ArrayNode jobs) {
    JsonNode j = jobs.get(random.nextInt(jobs.size()));
    return j.isObject() ? (ObjectNode) j : (ObjectNode) jobs.get(0);
  }

  private static ArrayNode deps(ObjectNode job) {
    JsonNode d = job.get("dependsOn");
    return d != null && d.isArray() ? (ArrayNode) d : job.putArray("dependsOn");
  }
}
