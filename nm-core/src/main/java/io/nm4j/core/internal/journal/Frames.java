package io.nm4j.core.internal.journal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * One journal record on disk: {@code int length, int crc32c, byte type, long id, body}, where
 * {@code length} counts type, id and body and the checksum covers them. A record whose length runs
 * past the end or whose checksum does not match ends the readable part of a segment (a torn write
 * at a crash, or corruption).
 */
public final class Frames {
  /** A batch was accepted; the body is the encoded batch. */
  public static final byte BATCH = 1;

  /** One receiver's notification has its final outcome; the body is the receiver (UTF-8). */
  public static final byte COMPLETED = 2;

  /** The batch needs nothing more; no body. */
  public static final byte FINISHED = 3;

  public static final int HEADER = 8;
  private static final int FIXED = 1 + Long.BYTES;

  /** Largest record accepted when reading; anything longer is corruption. */
  public static final int MAX_RECORD = 256 * 1024 * 1024;

  private Frames() {}

  /** A decoded record. */
  public record Record(byte type, long id, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The encoded size of a record with a body of {@code bodyLength} bytes. */
  public static int size(int bodyLength) {
    return HEADER + FIXED + bodyLength;
  }

  /** Writes one record at the buffer's position. */
  public static void write(ByteBuffer out, byte type, long id, byte[] body) {
    int start = out.position();
    out.putInt(FIXED + body.length);
    out.putInt(0);
    int payload = out.position();
    out.put(type);
    out.putLong(id);
    out.put(body);
    CRC32C crc = new CRC32C();
    ByteBuffer view = out.duplicate();
    view.position(payload).limit(out.position());
    crc.update(view);
    out.putInt(start + Integer.BYTES, (int) crc.getValue());
  }

  /**
   * Reads the record at the buffer's position and advances past it.
   *
   * @return {@code null} at a torn or corrupt record (the position is left at its start) or at the
   *     end
   */
  public static @Nullable Record read(ByteBuffer in) {
    int start = in.position();
    if (in.remaining() < HEADER + FIXED) {
      return null;
    }
    int length = in.getInt();
    int expected = in.getInt();
    if (length < FIXED || length > MAX_RECORD || length > in.remaining()) {
      in.position(start);
      return null;
    }
    CRC32C crc = new CRC32C();
    ByteBuffer view = in.duplicate();
    view.limit(in.position() + length);
    crc.update(view);
    if ((int) crc.getValue() != expected) {
      in.position(start);
      return null;
    }
    byte type = in.get();
    long id = in.getLong();
    byte[] body = new byte[length - FIXED];
    in.get(body);
    if (type != BATCH && type != COMPLETED && type != FINISHED) {
      in.position(start);
      return null;
    }
    return new Record(type, id, body);
  }
}
