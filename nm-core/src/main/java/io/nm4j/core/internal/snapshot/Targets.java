package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The receivers one namespace's alerts reach, sorted by receiver, each once.
 *
 * @param indexes the slots of {@code destinations} (see {@link Slots}), listed by rank: routing
 *     sorts on their ranks
 * @param destinations the receivers, same order
 * @param mergedWith for a namespace's tenants' receivers merged with the global ones, the global
 *     targets they were merged with (see {@link NamespaceTargets}); {@code null} for any other.
 *     Held here rather than beside the targets so that routing reads a namespace's targets in one
 *     step more than a map lookup, not two.
 */
public record Targets(int[] indexes, List<Destination> destinations, @Nullable Targets mergedWith) {
  public static final Targets NONE = new Targets(new int[0], List.of(), null);

  /** The targets in the slots {@code indexes} (listed by rank) of {@code slots}. */
  public static Targets of(int[] indexes, Slots slots) {
    return new Targets(indexes, destinationsOf(indexes, slots), null);
  }

  /**
   * The targets in the slots {@code indexes} (listed by rank) of {@code slots}, the global targets
   * {@code globals} merged with a namespace's tenants' receivers.
   */
  static Targets mergedWith(Targets globals, int[] indexes, Slots slots) {
    return new Targets(indexes, destinationsOf(indexes, slots), globals);
  }

  private static List<Destination> destinationsOf(int[] indexes, Slots slots) {
    Destination[] picked = new Destination[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      picked[i] = Objects.requireNonNull(slots.at(indexes[i]));
    }
    return List.of(picked);
  }

  public boolean isEmpty() {
    return indexes.length == 0;
  }
}
