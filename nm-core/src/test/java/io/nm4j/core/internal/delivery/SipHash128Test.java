package io.nm4j.core.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipHash128Test {
  // The reference implementation's key 00 01 .. 0f, read as two little-endian words.
  private static final long K0 = 0x0706050403020100L;
  private static final long K1 = 0x0f0e0d0c0b0a0908L;

  @Test
  void theEmptyMessageGivesTheReferenceVector() {
    SipHash128 h = new SipHash128(K0, K1);

    assertThat(bytes(h.finish(), h.high()))
        .containsExactly(
            0xa3, 0x81, 0x7f, 0x04, 0xba, 0x25, 0xa8, 0xe6, 0x6d, 0xf6, 0x72, 0x14, 0xc7, 0x55,
            0x02, 0x93);
  }

  @Test
  void theEightByteMessageGivesTheReferenceVector() {
    SipHash128 h = new SipHash128(K0, K1).word(0x0706050403020100L);

    assertThat(bytes(h.finish(), h.high()))
        .containsExactly(
            0x3b, 0x62, 0xa9, 0xba, 0x62, 0x58, 0xf5, 0x61, 0x0f, 0x83, 0xe2, 0x64, 0xf3, 0x14,
            0x97, 0xb4);
  }

  @Test
  void anotherKeyGivesAnotherHashOfTheSameMessage() {
    SipHash128 a = new SipHash128(K0, K1).word(42);
    SipHash128 b = new SipHash128(K0, K1 + 1).word(42);

    assertThat(a.finish()).isNotEqualTo(b.finish());
  }

  /** The result as the reference writes it: each half's bytes, least significant first. */
  private static int[] bytes(long low, long high) {
    int[] out = new int[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (int) (low >>> (8 * i)) & 0xff;
      out[8 + i] = (int) (high >>> (8 * i)) & 0xff;
    }
    return out;
  }
}
