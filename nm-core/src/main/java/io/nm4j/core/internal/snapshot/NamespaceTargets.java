package io.nm4j.core.internal.snapshot;

import org.jspecify.annotations.Nullable;

/**
 * The slots of one namespace's tenants' receivers, held apart from the global receivers and from
 * the destinations in those slots: a change of the global receivers, or receivers bound anew in
 * their slots (to an edited default config), then edits no namespace. Routing reads the namespace's
 * targets, both merged (by rank, each receiver once) with their destinations; the merge is made on
 * the first read after such a change and kept, tagged with the global targets it was made with,
 * until the next one, so routing a namespace in the steady state merges nothing.
 *
 * <p>Snapshots share this object while the namespace's tenants keep their receivers' slots (a
 * change of them replaces it), and each global targets instance belongs to the snapshots between
 * two changes of the global receivers or of the destinations in kept slots (such a change makes a
 * new one, even for a receiver replaced in its slot, see {@link RoutingTables#withEdits}). So a
 * merge tagged with the same global targets instance names the same destinations in every snapshot
 * that reads it, and one tagged with another is made again. Routing threads may race to make it:
 * each makes an equal, immutable value and the last one written stays; the field is volatile so
 * that a value written is read whole by the others.
 */
public final class NamespaceTargets {
  private final int[] tenantSlots;
  private volatile @Nullable Targets merged;

  /**
   * @param tenantSlots the slots of the namespace's tenants' receivers, listed by rank (see {@link
   *     Slots}); never modified, so it may be a tenant's own array
   */
  public NamespaceTargets(int[] tenantSlots) {
    this.tenantSlots = tenantSlots;
  }

  /** The slots of the namespace's tenants' receivers, listed by rank. */
  public int[] tenantSlots() {
    return tenantSlots;
  }

  /**
   * The receivers the namespace's alerts reach: {@code globals} and its tenants', each once, listed
   * by rank.
   *
   * @param globals the global targets of the tables that hold this namespace
   * @param slots the receivers of those tables
   */
  public Targets withGlobals(Targets globals, Slots slots) {
    // The kept merge is read first: in the steady state it is the answer, and the tenant slots, an
    // array made apart from this object (at 100,000 tenants one more cache miss per alert), are
    // not read at all.
    Targets made = merged;
    if (made != null && made.mergedWith() == globals) {
      return made;
    }
    if (tenantSlots.length == 0) {
      return globals;
    }
    int[] globalSlots = globals.indexes();
    made =
        Targets.mergedWith(
            globals,
            globalSlots.length == 0
                ? tenantSlots
                : Slots.mergeByRank(globalSlots, tenantSlots, slots.rankOfSlot()),
            slots);
    merged = made;
    return made;
  }
}
