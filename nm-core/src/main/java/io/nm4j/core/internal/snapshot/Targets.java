package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import java.util.List;
import java.util.Objects;

/**
 * The receivers one namespace's alerts reach, sorted by receiver, each once.
 *
 * @param indexes the slots of {@code destinations} (see {@link Slots}), listed by rank: routing
 *     sorts on their ranks
 * @param destinations the receivers, same order
 */
public record Targets(int[] indexes, List<Destination> destinations) {
  public static final Targets NONE = new Targets(new int[0], List.of());

  /** The targets in the slots {@code indexes} (listed by rank) of {@code slots}. */
  public static Targets of(int[] indexes, Slots slots) {
    Destination[] picked = new Destination[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      picked[i] = Objects.requireNonNull(slots.at(indexes[i]));
    }
    return new Targets(indexes, List.of(picked));
  }

  public boolean isEmpty() {
    return indexes.length == 0;
  }
}
