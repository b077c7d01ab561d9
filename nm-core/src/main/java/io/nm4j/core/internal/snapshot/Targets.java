package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import java.util.List;

/**
 * The receivers one namespace's alerts reach, sorted by receiver, each once.
 *
 * @param indexes the positions of {@code destinations} in the snapshot's receivers, ascending:
 *     routing sorts on them
 * @param destinations the receivers, same order
 */
public record Targets(int[] indexes, List<Destination> destinations) {
  public static final Targets NONE = new Targets(new int[0], List.of());

  /** The targets at {@code indexes} of {@code all}. */
  public static Targets of(int[] indexes, List<Destination> all) {
    Destination[] picked = new Destination[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      picked[i] = all.get(indexes[i]);
    }
    return new Targets(indexes, List.of(picked));
  }

  public boolean isEmpty() {
    return indexes.length == 0;
  }
}
