package io.nm4j.channel.webhook.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** A byte buffer whose array can be handed on without the copy {@link #toByteArray()} makes. */
final class Bytes extends ByteArrayOutputStream {
  Bytes(int capacity) {
    super(capacity);
  }

  /** The bytes written, in the buffer itself when it is exactly full. */
  byte[] exact() {
    return count == buf.length ? buf : Arrays.copyOf(buf, count);
  }

  /**
   * The buffer, the bytes written at its start; copied to their size only when more than a quarter
   * of it is unused, so what is kept is not much larger than what was written.
   */
  byte[] trimmedArray() {
    return count >= buf.length - buf.length / 4 ? buf : Arrays.copyOf(buf, count);
  }
}
