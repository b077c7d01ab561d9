package io.nm4j.core.internal.delivery;

/**
 * SipHash-2-4 with a 128-bit result, fed whole 64-bit words (each taken as its eight bytes, least
 * significant first, as SipHash reads a message): a keyed hash that is fast on short input and that
 * nobody without the key can steer to a chosen value.
 *
 * <p>One instance hashes one message: {@link #word} its words, then {@link #finish()} once.
 */
final class SipHash128 {
  private long v0;
  private long v1;
  private long v2;
  private long v3;
  private int words;
  private long high;

  SipHash128(long k0, long k1) {
    v0 = k0 ^ 0x736f6d6570736575L;
    v1 = k1 ^ 0x646f72616e646f6dL ^ 0xeeL;
    v2 = k0 ^ 0x6c7967656e657261L;
    v3 = k1 ^ 0x7465646279746573L;
  }

  SipHash128 word(long m) {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
    words++;
    return this;
  }

  /** The first 64 bits of the result; {@link #high()} gives the other 64. */
  long finish() {
    long b = ((long) words * 8) << 56;
    v3 ^= b;
    round();
    round();
    v0 ^= b;
    v2 ^= 0xeeL;
    round();
    round();
    round();
    round();
    long low = v0 ^ v1 ^ v2 ^ v3;
    v1 ^= 0xddL;
    round();
    round();
    round();
    round();
    high = v0 ^ v1 ^ v2 ^ v3;
    return low;
  }

  /** The second 64 bits of the result, after {@link #finish()}. */
  long high() {
    return high;
  }

  private void round() {
    v0 += v1;
    v1 = Long.rotateLeft(v1, 13);
    v1 ^= v0;
    v0 = Long.rotateLeft(v0, 32);
    v2 += v3;
    v3 = Long.rotateLeft(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = Long.rotateLeft(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = Long.rotateLeft(v1, 17);
    v1 ^= v2;
    v2 = Long.rotateLeft(v2, 32);
  }
}
