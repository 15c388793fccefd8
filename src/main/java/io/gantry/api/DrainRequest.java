package io.gantry.api;

/** Body of {@code POST /queue/drain} (optional): {@code delayed} also cancels the jobs waiting for a retry. */
public record DrainRequest(Boolean delayed) {
}
