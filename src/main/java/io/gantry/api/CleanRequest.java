package io.gantry.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Body of {@code POST /queue/clean} (optional): forget at most {@code limit} executions of {@code type}
 * (completed|failed|cancelled) finished more than {@code graceMs} ago; absent fields take their defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CleanRequest(Long graceMs, Integer limit, String type) {
}
