package io.gantry.persistence.redis.journal;

import java.util.List;

/** An event ready for the write script: its sequence number, its stored record, its tags. */
public record EncodedEvent(long sequenceNr, byte[] record, List<String> tags) {}
