package io.nm4j.core.internal.manifest;

/**
 * One instance for the short strings that manifests repeat in every object: field names, API
 * versions, kinds, namespaces, label keys and values. A parser makes a new string for each
 * occurrence (the YAML parser does not share field names as Jackson's JSON parser does): the
 * benchmarks' 10,000 tenants read from manifests took 109 MB, where the same objects built in code,
 * sharing their constants, took 59 MB; with this table, 72 MB ({@code SnapshotHeap --parsed}).
 *
 * <p>The table is bounded, so input cannot make it grow: a direct-mapped cache of {@value #SLOTS}
 * slots where a string takes its slot from whatever held it, and strings longer than {@value
 * #MAX_LENGTH} chars are never kept. Input with more distinct names than slots only shares less.
 * What it keeps outlives the objects it came from until another string takes the slot: field names
 * (a Secret's keys among them), API versions, kinds, namespaces and labels; it is given no other
 * value, so no secret's value, URL or address is kept here. One table serves every tenant; nothing
 * reads it but this class, so no tenant learns another's names from it.
 *
 * <p>The slots are read and written without a lock. A race can only lose a string's place or return
 * an equal string that is not the one kept; a {@link String} read through a race is complete, its
 * fields being final.
 */
public final class SharedStrings {
  /** A power of two, so that the slot is the hash's top bits. */
  static final int SLOTS = 4096;

  static final int MAX_LENGTH = 64;

  /** The table the manifest reader shares its strings through. */
  public static final SharedStrings MANIFESTS = new SharedStrings();

  private final String[] table = new String[SLOTS];

  /** A table of its own, for tests that must not meet other parses' strings. */
  SharedStrings() {}

  /** The kept string equal to {@code s}, or {@code s}, now kept in its place. */
  public String of(String s) {
    if (s.length() > MAX_LENGTH) {
      return s;
    }
    int slot = slotOf(s);
    String kept = table[slot];
    if (s.equals(kept)) {
      return kept;
    }
    table[slot] = s;
    return s;
  }

  /**
   * The top bits of the hash times the golden ratio (Fibonacci hashing): every bit of the hash
   * counts, so names that differ only in their last characters, as generated names do, spread over
   * the table rather than filling neighbouring slots.
   */
  static int slotOf(String s) {
    return (s.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - Integer.numberOfTrailingZeros(SLOTS));
  }
}
