package io.gantry.api;

/** The answer to {@code POST /queue/drain} (jobs cancelled) and {@code POST /queue/clean} (executions forgotten). */
public record Removed(int removed) {
}
