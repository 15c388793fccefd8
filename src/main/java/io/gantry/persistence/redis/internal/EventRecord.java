package io.gantry.persistence.redis.internal;

import java.util.Optional;

/** One stored event: what a replay needs to rebuild the PersistentRepr. */
public record EventRecord(
    long sequenceNr,
    long timestamp,
    String writerUuid,
    String eventAdapterManifest,
    SerializedPayload payload,
    Optional<SerializedPayload> metadata) {}
