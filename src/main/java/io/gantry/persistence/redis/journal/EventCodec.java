package io.gantry.persistence.redis.journal;

import io.gantry.persistence.redis.internal.BinaryFormat;
import io.gantry.persistence.redis.internal.EventRecord;
import io.gantry.persistence.redis.internal.PayloadSerialization;
import java.io.NotSerializableException;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import scala.jdk.javaapi.CollectionConverters;
import scala.jdk.javaapi.OptionConverters;

/** PersistentRepr to stored bytes and back, through Pekko serialization. */
public final class EventCodec {
  private final PayloadSerialization serialization;

  public EventCodec(PayloadSerialization serialization) {
    this.serialization = serialization;
  }

  /** Throws when the event or its metadata cannot be serialized. */
  public EncodedEvent encode(PersistentRepr repr) throws NotSerializableException {
    Object payload = repr.payload();
    List<String> tags = List.of();
    if (payload instanceof Tagged tagged) {
      payload = tagged.payload();
      tags = List.copyOf(CollectionConverters.asJava(tagged.tags()));
    }
    Optional<Object> metadata = OptionConverters.toJava(repr.metadata());
    EventRecord record =
        new EventRecord(
            repr.sequenceNr(),
            repr.timestamp() > 0 ? repr.timestamp() : System.currentTimeMillis(),
            repr.writerUuid(),
            repr.manifest(),
            serialization.serialize(payload),
            metadata.isPresent() ? Optional.of(serialization.serialize(metadata.get())) : Optional.empty());
    return new EncodedEvent(repr.sequenceNr(), BinaryFormat.encodeEvent(record), tags);
  }

  /** Throws IllegalArgumentException for a corrupt record, or what the serializer throws. */
  public PersistentRepr decode(String persistenceId, byte[] stored) {
    EventRecord record = BinaryFormat.decodeEvent(stored);
    Object payload = serialization.deserialize(record.payload());
    PersistentRepr repr =
        PersistentRepr.apply(
                payload,
                record.sequenceNr(),
                persistenceId,
                record.eventAdapterManifest(),
                false,
                null,
                record.writerUuid())
            .withTimestamp(record.timestamp());
    return record.metadata().isPresent() ? repr.withMetadata(serialization.deserialize(record.metadata().get())) : repr;
  }
}
