package io.gantry.persistence.redis.journal;

import java.util.List;

/** The encoded events of one persistence id from one journal call: stored all together or not at all. */
public record JournalWrite(String persistenceId, List<EncodedEvent> events) {}
