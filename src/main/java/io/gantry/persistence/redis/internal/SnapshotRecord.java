package io.gantry.persistence.redis.internal;

import java.util.Optional;

/** One stored snapshot. */
public record SnapshotRecord(
    long sequenceNr,
    long timestamp,
    SerializedPayload snapshot,
    Optional<SerializedPayload> metadata) {}
