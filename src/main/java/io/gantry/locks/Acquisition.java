package io.gantry.locks;

/** The outcome of an acquire: {@code lock} is the new lock when granted, otherwise the current holder's. */
public record Acquisition(boolean granted, LockInfo lock) {
}
