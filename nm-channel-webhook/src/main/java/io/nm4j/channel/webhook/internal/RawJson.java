package io.nm4j.channel.webhook.internal;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON value already written, as a slice of UTF-8 bytes that {@link
 * com.fasterxml.jackson.core.JsonGenerator#writeRawValue(SerializableString)} copies as they are.
 * It is a value, not the text of a string: the quoted forms do not apply and are refused.
 */
final class RawJson implements SerializableString {
  private final byte[] bytes;
  private final int offset;
  private final int length;

  RawJson(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
  }

  /** The number of bytes of the value. */
  int length() {
    return length;
  }

  @Override
  public String getValue() {
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return Arrays.copyOfRange(bytes, offset, offset + length);
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int at) {
    if (at + length > buffer.length) {
      return -1;
    }
    System.arraycopy(bytes, offset, buffer, at, length);
    return length;
  }

  @Override
  public int appendUnquoted(char[] buffer, int at) {
    char[] chars = getValue().toCharArray();
    if (at + chars.length > buffer.length) {
      return -1;
    }
    System.arraycopy(chars, 0, buffer, at, chars.length);
    return chars.length;
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(bytes, offset, length);
    return length;
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (length > buffer.remaining()) {
      return -1;
    }
    buffer.put(bytes, offset, length);
    return length;
  }

  @Override
  public char[] asQuotedChars() {
    throw notAString();
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw notAString();
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int at) {
    throw notAString();
  }

  @Override
  public int appendQuoted(char[] buffer, int at) {
    throw notAString();
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw notAString();
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw notAString();
  }

  private static UnsupportedOperationException notAString() {
    return new UnsupportedOperationException("a raw JSON value is written as it is, never quoted");
  }

  @Override
  public String toString() {
    return getValue();
  }
}
