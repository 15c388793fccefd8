package io.gantry.dag;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One job exactly as submitted; a null field was not given. {@link Dag#of} validates it and applies
 * the defaults (see {@link JobDefinition}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobSpec(
    String id,
    String type,
    List<String> dependsOn,
    Integer priority,
    Integer maxRetries,
    Backoff backoff,
    Long timeoutMs,
    List<String> requiredCapabilities,
    Requirements requirements,
    String concurrencyKey,
    String pool,
    JsonNode config) {

  public JobSpec {
    // Thousands of queued jobs name the same few types and pools: one string each, not one per job.
    type = type == null ? null : type.intern();
    pool = pool == null ? null : pool.intern();
  }
}
