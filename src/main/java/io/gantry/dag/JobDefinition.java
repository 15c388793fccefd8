package io.gantry.dag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * A validated job with every default applied: priority inherits the document's (default 5),
 * {@code maxRetries} 3, {@link Backoff#DEFAULT}, {@code timeoutMs} 0 (none), pool "default",
 * {@code config} an empty object when absent. {@code index} is the job's position in the document.
 */
public record JobDefinition(
    int index,
    String id,
    String type,
    List<String> dependsOn,
    int priority,
    int maxRetries,
    Backoff backoff,
    long timeoutMs,
    Set<Capability> requiredCapabilities,
    Requirements requirements,
    String concurrencyKey,
    String pool,
    JsonNode config) {

  public static final int DEFAULT_PRIORITY = 5;
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final String DEFAULT_POOL = "default";

  public JobDefinition {
    // Most jobs have no config: no object kept per job for it (100,000 queued jobs, one empty object each).
    config = config instanceof ObjectNode o && o.isEmpty() ? null : config;
  }

  /** The job's config; an empty object (a new one each time) when it has none. */
  @Override
  public JsonNode config() {
    return config == null ? JsonNodeFactory.instance.objectNode() : config;
  }
}
