package io.nm4j.benchmarks;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How long one read that misses every cache takes on this machine: a walk along one random cycle
 * through an {@code int} array far larger than the caches, each read's index the value the read
 * before returned, so that no two reads overlap. It is the price of a first read of a receiver's
 * objects in {@link FlatCostBenchmark} at 100,000 tenants, by which the cost that size adds over
 * 1,000 tenants can be counted in reads ({@code benchmarks/README.md}).
 *
 * <p>It prints the nanoseconds per read of each second and their median. Code that has several
 * independent reads to make overlaps them, so a gap measured in CPU time divided by this figure
 * counts at least as many cold reads as it says.
 *
 * <p>Run: {@code java -Xmx2g -cp benchmarks/target/benchmarks.jar io.nm4j.benchmarks.MemoryLatency
 * [MiB [seconds]]}; 400 MiB and 10 seconds by default.
 */
public final class MemoryLatency {
  private static final int READS_PER_CHECK = 100_000;

  private MemoryLatency() {}

  public static void main(String[] args) {
    int mebibytes = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    if (mebibytes < 1 || mebibytes > 8_191 || seconds < 1) {
      throw new IllegalArgumentException(
          "MemoryLatency: expected 1 to 8191 MiB and at least 1 second, was "
              + mebibytes
              + " MiB, "
              + seconds
              + " s");
    }
    int[] next =
        cycle(Math.toIntExact(mebibytes * (1L << 20) / Integer.BYTES), new SplittableRandom(1));
    double[] perSecond = new double[seconds];
    int at = 0;
    for (int s = 0; s < seconds; s++) {
      long start = System.nanoTime();
      long reads = 0;
      while (System.nanoTime() - start < 1_000_000_000L) {
        for (int i = 0; i < READS_PER_CHECK; i++) {
          at = next[at];
        }
        reads += READS_PER_CHECK;
      }
      perSecond[s] = (System.nanoTime() - start) / (double) reads;
      System.out.printf(Locale.ROOT, "  second %2d: %6.1f ns per read%n", s + 1, perSecond[s]);
    }
    // the position reached is printed so that the walk cannot be left out as unused
    System.out.printf(
        Locale.ROOT,
        "%,d MiB: median %.1f ns per read, min %.1f, max %.1f (at %d)%n",
        mebibytes,
        Medians.of(Arrays.stream(perSecond)),
        Arrays.stream(perSecond).min().orElseThrow(),
        Arrays.stream(perSecond).max().orElseThrow(),
        at);
  }

  /**
   * A random cycle through all of {@code 0..n-1}: {@code next[i]} is the index after {@code i}, and
   * following it from any index visits every other index once before coming back. Sattolo's
   * shuffle, which swaps each place only with an earlier one, makes a single cycle in the one array
   * the walk reads.
   */
  static int[] cycle(int n, SplittableRandom random) {
    int[] next = new int[n];
    for (int i = 0; i < n; i++) {
      next[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i);
      int swapped = next[i];
      next[i] = next[j];
      next[j] = swapped;
    }
    return next;
  }
}
