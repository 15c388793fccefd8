package io.gantry.persistence.redis.internal;

import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Pekko serialization with the transport information set, so serializers of actor refs (and the
 * TCK's test serializer) find the system's address.
 */
public final class PayloadSerialization {
  private final ExtendedActorSystem system;
  private final Serialization serialization;

  public PayloadSerialization(ExtendedActorSystem system) {
    this.system = system;
    this.serialization = SerializationExtension.get(system);
  }

  public SerializedPayload serialize(Object payload) throws NotSerializableException {
    Serializer serializer = serialization.serializerFor(payload.getClass());
    return Serialization$.MODULE$.withTransportInformation(
        system,
        () ->
            new SerializedPayload(
                serializer.identifier(),
                Serializers.manifestFor(serializer, payload),
                serializer.toBinary(payload)));
  }

  public Object deserialize(SerializedPayload payload) {
    return serialization
        .deserialize(payload.bytes(), payload.serializerId(), payload.manifest())
        .get();
  }
}
