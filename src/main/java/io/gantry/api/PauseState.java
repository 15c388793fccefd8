package io.gantry.api;

/** The answer to {@code POST /queue/pause} and {@code POST /queue/resume}. */
public record PauseState(boolean paused) {
}
