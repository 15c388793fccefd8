package io.gantry.persistence.redis.client;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.codec.ToByteBufEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.ByteBuffer;

/**
 * Keys as UTF-8 strings, values as raw bytes. Unlike {@code RedisCodec.of(StringCodec.UTF8,
 * ByteArrayCodec.INSTANCE)}, which is no {@link ToByteBufEncoder}, it writes every argument straight
 * into Netty's buffer instead of wrapping it in a ByteBuffer first: a journal batch has several
 * arguments per event, so that was several garbage objects per event. Sizes are exact, so Lettuce
 * needs no scratch buffer either.
 */
final class StringKeyBytesCodec implements RedisCodec<String, byte[]>, ToByteBufEncoder<String, byte[]> {
  static final StringKeyBytesCodec INSTANCE = new StringKeyBytesCodec();

  private StringKeyBytesCodec() {}

  @Override
  public String decodeKey(ByteBuffer bytes) {
    return StringCodec.UTF8.decodeKey(bytes);
  }

  @Override
  public byte[] decodeValue(ByteBuffer bytes) {
    return ByteArrayCodec.INSTANCE.decodeValue(bytes);
  }

  @Override
  public ByteBuffer encodeKey(String key) {
    return StringCodec.UTF8.encodeKey(key);
  }

  @Override
  public ByteBuffer encodeValue(byte[] value) {
    return ByteArrayCodec.INSTANCE.encodeValue(value);
  }

  @Override
  public void encodeKey(String key, ByteBuf target) {
    if (key != null) {
      ByteBufUtil.writeUtf8(target, key);
    }
  }

  @Override
  public void encodeValue(byte[] value, ByteBuf target) {
    if (value != null) {
      target.writeBytes(value);
    }
  }

  @Override
  public int estimateSize(Object keyOrValue) {
    if (keyOrValue instanceof byte[] bytes) {
      return bytes.length;
    }
    if (keyOrValue instanceof CharSequence text) {
      return ByteBufUtil.utf8Bytes(text);
    }
    return 0;
  }

  @Override
  public boolean isEstimateExact() {
    return true;
  }
}
