package io.gantry.protocol;

/**
 * Marker for every message and event that crosses a node boundary or goes into the journal.
 * Bound to Pekko's jackson-cbor serializer in reference.conf; Java serialization stays off.
 */
public interface CborSerializable {}
