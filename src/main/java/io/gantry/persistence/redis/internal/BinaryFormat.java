package io.gantry.persistence.redis.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The compact encoding of events and snapshots stored in Redis: a format byte, fixed-width numbers,
 * length-prefixed strings and bytes. Sized up front so each record is written into one array.
 */
public final class BinaryFormat {
  private static final byte EVENT_V1 = 'E';
  private static final byte SNAPSHOT_V1 = 'S';

  private BinaryFormat() {}

  public static byte[] encodeEvent(EventRecord event) {
    byte[] writer = utf8(event.writerUuid());
    byte[] adapterManifest = utf8(event.eventAdapterManifest());
    PayloadBytes payload = new PayloadBytes(event.payload());
    Optional<PayloadBytes> metadata = event.metadata().map(PayloadBytes::new);
    int size = 1 + 8 + 8 + 4 + writer.length + 4 + adapterManifest.length + payload.size()
        + 1 + metadata.map(PayloadBytes::size).orElse(0);
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(EVENT_V1).putLong(event.sequenceNr()).putLong(event.timestamp());
    putBytes(out, writer);
    putBytes(out, adapterManifest);
    payload.writeTo(out);
    putOptional(out, metadata);
    return out.array();
  }

  public static EventRecord decodeEvent(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      expectFormat(in, EVENT_V1, "event");
      long sequenceNr = in.getLong();
      long timestamp = in.getLong();
      String writer = getString(in);
      String adapterManifest = getString(in);
      SerializedPayload payload = getPayload(in);
      Optional<SerializedPayload> metadata = getOptional(in);
      expectEnd(in);
      return new EventRecord(sequenceNr, timestamp, writer, adapterManifest, payload, metadata);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IllegalArgumentException("corrupt event record (" + bytes.length + " bytes): " + e, e);
    }
  }

  public static byte[] encodeSnapshot(SnapshotRecord snapshot) {
    PayloadBytes payload = new PayloadBytes(snapshot.snapshot());
    Optional<PayloadBytes> metadata = snapshot.metadata().map(PayloadBytes::new);
    int size = 1 + 8 + 8 + payload.size() + 1 + metadata.map(PayloadBytes::size).orElse(0);
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(SNAPSHOT_V1).putLong(snapshot.sequenceNr()).putLong(snapshot.timestamp());
    payload.writeTo(out);
    putOptional(out, metadata);
    return out.array();
  }

  public static SnapshotRecord decodeSnapshot(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      expectFormat(in, SNAPSHOT_V1, "snapshot");
      long sequenceNr = in.getLong();
      long timestamp = in.getLong();
      SerializedPayload payload = getPayload(in);
      Optional<SerializedPayload> metadata = getOptional(in);
      expectEnd(in);
      return new SnapshotRecord(sequenceNr, timestamp, payload, metadata);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new IllegalArgumentException("corrupt snapshot record (" + bytes.length + " bytes): " + e, e);
    }
  }

  /** A payload with its manifest already encoded, so its size is known before writing. */
  private record PayloadBytes(int serializerId, byte[] manifest, byte[] bytes) {
    PayloadBytes(SerializedPayload payload) {
      this(payload.serializerId(), utf8(payload.manifest()), payload.bytes());
    }

    int size() {
      return 4 + 4 + manifest.length + 4 + bytes.length;
    }

    void writeTo(ByteBuffer out) {
      out.putInt(serializerId);
      putBytes(out, manifest);
      putBytes(out, bytes);
    }
  }

  private static void putOptional(ByteBuffer out, Optional<PayloadBytes> payload) {
    out.put((byte) (payload.isPresent() ? 1 : 0));
    payload.ifPresent(p -> p.writeTo(out));
  }

  private static Optional<SerializedPayload> getOptional(ByteBuffer in) {
    byte present = in.get();
    return switch (present) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(getPayload(in));
      default -> throw new IllegalArgumentException("bad metadata flag " + present);
    };
  }

  private static SerializedPayload getPayload(ByteBuffer in) {
    int serializerId = in.getInt();
    String manifest = getString(in);
    return new SerializedPayload(serializerId, manifest, getBytes(in));
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes.length).put(bytes);
  }

  private static byte[] getBytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw new IllegalArgumentException("length " + length + " exceeds the " + in.remaining() + " bytes left");
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static String getString(ByteBuffer in) {
    return new String(getBytes(in), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void expectFormat(ByteBuffer in, byte format, String what) {
    byte actual = in.get();
    if (actual != format) {
      throw new IllegalArgumentException("unknown " + what + " format byte " + actual);
    }
  }

  private static void expectEnd(ByteBuffer in) {
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " unexpected trailing bytes");
    }
  }
}
