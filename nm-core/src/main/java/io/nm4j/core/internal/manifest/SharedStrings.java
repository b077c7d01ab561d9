package io.nm4j.core.internal.manifest;

/**
 * One instance for the short strings that manifests repeat in every object: field names, API
 * versions, kinds, namespaces, label keys and values. A parser makes a new string for each
 * occurrence (the YAML parser does not share field names as Jackson's JSON parser does): the
 * benchmarks' 10,000 tenants read from manifests held 17 strings per object and took 109 MB, where
 * the same objects built in code, sharing their constants, took 59 MB; with this table, 72 MB.
 *
 * <p>The table is bounded, so input cannot make it grow: a direct-mapped cache of {@value #SLOTS}
 * slots where a string takes its slot from whatever held it, and strings longer than {@value
 * #MAX_LENGTH} chars are never kept. Input with more distinct names than slots only shares less.
 * Values other than names and labels (a secret's data, a URL) are not passed here, so no secret is
 * kept after its object is gone.
 *
 * <p>The slots are read and written without a lock. A race can only lose a string's place or return
 * an equal string that is not the one kept; a {@link String} read through a race is complete, its
 * fields being final.
 */
public final class SharedStrings {
  static final int SLOTS = 4096;
  static final int MAX_LENGTH = 64;

  private static final String[] TABLE = new String[SLOTS];

  private SharedStrings() {}

  /** The kept string equal to {@code s}, or {@code s}, now kept in its place. */
  public static String of(String s) {
    if (s.length() > MAX_LENGTH) {
      return s;
    }
    int h = s.hashCode();
    int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
    String kept = TABLE[slot];
    if (s.equals(kept)) {
      return kept;
    }
    TABLE[slot] = s;
    return s;
  }
}
