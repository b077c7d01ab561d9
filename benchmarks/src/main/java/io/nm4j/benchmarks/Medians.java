package io.nm4j.benchmarks;

import java.util.stream.DoubleStream;

/** The median the harnesses of this package report. */
final class Medians {
  private Medians() {}

  /** The middle value, or the mean of the two middle values of an even count. */
  static double of(DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    if (sorted.length == 0) {
      throw new IllegalArgumentException("a median of no values");
    }
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
