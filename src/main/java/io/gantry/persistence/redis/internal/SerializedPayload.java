package io.gantry.persistence.redis.internal;

/** An object as Pekko serialization wrote it: enough to find the same serializer again. */
public record SerializedPayload(int serializerId, String manifest, byte[] bytes) {}
