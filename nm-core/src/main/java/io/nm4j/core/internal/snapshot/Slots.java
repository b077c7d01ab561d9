package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import io.nm4j.spi.ObjectRef;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Where each receiver of a snapshot is held: its <em>slot</em>, which every table of the snapshot
 * (the targets of each namespace, the receivers of each tenant, the routing stages' per-receiver
 * arrays) uses to name it, and its <em>rank</em>, its place among the receivers sorted by kind and
 * name. A full build makes slot and rank the same. A change applied in place gives a new receiver a
 * new slot after the others and leaves the slot of a removed one empty, so no other receiver's slot
 * moves and every table that does not hold the changed receivers stays valid as it is; only the
 * ranks are computed again (a few int arrays, linear in the receivers).
 *
 * <p>Every int array of slots the snapshot holds lists them by rank. That order survives any change
 * of other receivers (adding or removing one moves ranks, never their order), so such arrays stay
 * sorted; only merging two of them compares ranks ({@link #mergeByRank}).
 */
public final class Slots {
  /** Most slots left empty by removals before a change takes a build, which packs them again. */
  public static final int MAX_EMPTY = 1024;

  private final List<@Nullable Destination> bySlot;
  private final List<Destination> sorted;
  private final int[] slotOfRank;
  private final int @Nullable [] rankOfSlot;

  private Slots(
      List<@Nullable Destination> bySlot,
      List<Destination> sorted,
      int[] slotOfRank,
      int @Nullable [] rankOfSlot) {
    this.bySlot = bySlot;
    this.sorted = sorted;
    this.slotOfRank = slotOfRank;
    this.rankOfSlot = rankOfSlot;
  }

  /**
   * Slots for receivers sorted by kind and name: each one's slot is its rank. {@code sorted} is
   * kept, not copied (a build's list holds every receiver, tens of thousands): the caller hands it
   * over and never changes it again.
   */
  public static Slots of(List<Destination> sorted) {
    List<Destination> all = Collections.unmodifiableList(sorted);
    int[] identity = new int[all.size()];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return new Slots(all, all, identity, null);
  }

  /** The receiver in {@code slot}; {@code null} for a slot a removal left empty. */
  public @Nullable Destination at(int slot) {
    return bySlot.get(slot);
  }

  /** The receivers by slot, empty slots {@code null}: what the per-slot tables are indexed by. */
  public List<@Nullable Destination> bySlot() {
    return bySlot;
  }

  /** The number of slots, empty ones included. */
  public int size() {
    return bySlot.size();
  }

  /** Every receiver sorted by kind and name. */
  public List<Destination> sorted() {
    return sorted;
  }

  /** The rank of each slot; {@code null} when each slot is its rank (a full build). */
  public int @Nullable [] rankOfSlot() {
    return rankOfSlot;
  }

  /** The number of slots removals left empty. */
  public int empty() {
    return bySlot.size() - sorted.size();
  }

  /** The slot of the receiver {@code ref}, or -1 when there is none. */
  public int slotOf(ObjectRef ref) {
    int rank = rankOf(ref);
    return rank < 0 ? -1 : slotOfRank[rank];
  }

  /** The slot of the receiver ranked {@code rank}. */
  public int slotOfRank(int rank) {
    return slotOfRank[rank];
  }

  /**
   * The ranks of the receivers of {@code kind}: receivers sort by kind first, so they hold one run
   * of ranks, found by two binary searches rather than by reading every receiver.
   */
  public Ranks ranksOfKind(String kind) {
    return new Ranks(firstRankOfKind(kind, false), firstRankOfKind(kind, true));
  }

  /**
   * A run of ranks.
   *
   * @param from the first rank
   * @param to the rank after the last
   */
  public record Ranks(int from, int to) {}

  /** The first rank whose receiver's kind sorts after {@code kind} ({@code past}) or at it. */
  private int firstRankOfKind(String kind, boolean past) {
    int low = 0;
    int high = sorted.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      int c = sorted.get(mid).receiver().kind().compareTo(kind);
      if (c < 0 || (past && c == 0)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** The rank of {@code ref}, or {@code -(insertion point) - 1}. */
  private int rankOf(ObjectRef ref) {
    int low = 0;
    int high = sorted.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      int c = sorted.get(mid).receiver().compareTo(ref);
      if (c < 0) {
        low = mid + 1;
      } else if (c > 0) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  /**
   * These slots after a change: each slot of {@code replaced} holds its new receiver (the same kind
   * and name), each of {@code removed} is left empty, and each of {@code added} (receivers not held
   * yet) takes a new slot, in their order.
   */
  public Slots with(
      int[] replacedSlots, List<Destination> replacements, int[] removed, List<Destination> added) {
    if (removed.length == 0 && added.isEmpty()) {
      return withReplaced(replacedSlots, replacements);
    }
    List<@Nullable Destination> slots = new ArrayList<>(bySlot.size() + added.size());
    slots.addAll(bySlot);
    for (int i = 0; i < replacedSlots.length; i++) {
      slots.set(replacedSlots[i], replacements.get(i));
    }
    for (int slot : removed) {
      slots.set(slot, null);
    }
    for (Destination d : added) {
      slots.add(d);
    }
    // The new receivers by rank, each with its place among the old ranks (a binary search, so
    // the receivers are not compared one by one), then one merge with the kept slots.
    Integer[] newSlots = new Integer[added.size()];
    for (int i = 0; i < newSlots.length; i++) {
      newSlots[i] = bySlot.size() + i;
    }
    Arrays.sort(newSlots, (x, y) -> slots.get(x).receiver().compareTo(slots.get(y).receiver()));
    int[] insertAt = new int[newSlots.length];
    for (int i = 0; i < newSlots.length; i++) {
      int rank = rankOf(slots.get(newSlots[i]).receiver());
      insertAt[i] = rank >= 0 ? rank : -(rank + 1);
    }
    int count = sorted.size() - removed.length + added.size();
    int[] order = new int[count];
    Destination[] sortedNow = new Destination[count];
    int n = 0;
    int next = 0;
    for (int rank = 0; rank < slotOfRank.length; rank++) {
      while (next < newSlots.length && insertAt[next] <= rank) {
        sortedNow[n] = slots.get(newSlots[next]);
        order[n++] = newSlots[next++];
      }
      int slot = slotOfRank[rank];
      Destination kept = slots.get(slot);
      if (kept != null) {
        sortedNow[n] = kept;
        order[n++] = slot;
      }
    }
    while (next < newSlots.length) {
      sortedNow[n] = slots.get(newSlots[next]);
      order[n++] = newSlots[next++];
    }
    int[] ranks = new int[slots.size()];
    Arrays.fill(ranks, -1);
    for (int rank = 0; rank < order.length; rank++) {
      ranks[order[rank]] = rank;
    }
    return new Slots(
        Collections.unmodifiableList(slots),
        Collections.unmodifiableList(Arrays.asList(sortedNow)),
        order,
        ranks);
  }

  /**
   * These slots with receivers replaced in theirs, no slot emptied or added: ranks stay as they
   * are. When each slot is its rank (since a full build) the receivers by slot are also the sorted
   * ones, one list for both.
   */
  private Slots withReplaced(int[] replacedSlots, List<Destination> replacements) {
    @Nullable Destination[] slots = bySlot.toArray(new Destination[0]);
    for (int i = 0; i < replacedSlots.length; i++) {
      slots[replacedSlots[i]] = replacements.get(i);
    }
    List<@Nullable Destination> bySlotNow = Collections.unmodifiableList(Arrays.asList(slots));
    if (rankOfSlot == null) {
      // Each slot is its rank, so none is empty.
      List<Destination> sortedNow = Collections.unmodifiableList(Arrays.asList(slots));
      return new Slots(bySlotNow, sortedNow, slotOfRank, null);
    }
    Destination[] sortedNow = new Destination[slotOfRank.length];
    for (int rank = 0; rank < sortedNow.length; rank++) {
      sortedNow[rank] = slots[slotOfRank[rank]];
    }
    return new Slots(
        bySlotNow, Collections.unmodifiableList(Arrays.asList(sortedNow)), slotOfRank, rankOfSlot);
  }

  /**
   * Merges two arrays of slots, each listed by rank, into one by rank, each slot once.
   *
   * @param rankOfSlot the ranks; {@code null} when each slot is its rank
   */
  public static int[] mergeByRank(int[] a, int[] b, int @Nullable [] rankOfSlot) {
    if (rankOfSlot == null) {
      return RoutingTables.mergeSorted(a, b);
    }
    int[] out = new int[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      int next =
          (j == b.length || (i < a.length && rankOfSlot[a[i]] <= rankOfSlot[b[j]]))
              ? a[i++]
              : b[j++];
      if (n == 0 || out[n - 1] != next) {
        out[n++] = next;
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** {@code slots} (listed by rank) with {@code slot} inserted at its rank, if not there. */
  public static int[] insertByRank(int[] slots, int slot, int @Nullable [] rankOfSlot) {
    return mergeByRank(slots, new int[] {slot}, rankOfSlot);
  }

  /** {@code slots} without {@code slot}. */
  public static int[] remove(int[] slots, int slot) {
    int at = -1;
    for (int i = 0; i < slots.length && at < 0; i++) {
      at = slots[i] == slot ? i : -1;
    }
    if (at < 0) {
      return slots;
    }
    int[] out = new int[slots.length - 1];
    System.arraycopy(slots, 0, out, 0, at);
    System.arraycopy(slots, at + 1, out, at, out.length - at);
    return out;
  }

  /**
   * The slots each tenant gains and loses in one change, applied to its slot arrays (of the routing
   * tables, of the routing stages) once the slots after the change are known; the slots the global
   * receivers lose and gain, which routing merges into every namespace's targets; and whether some
   * receivers were bound anew in the slots they hold.
   */
  public static final class TenantEdits {
    private final Map<String, List<Integer>> removed = new HashMap<>();
    private final Map<String, List<Integer>> added = new HashMap<>();
    private final Set<String> tenants = new TreeSet<>();
    private final List<Integer> globalsGone = new ArrayList<>();
    private final List<Integer> globalsAdded = new ArrayList<>();
    private boolean rebound;

    /** {@code slot} no longer holds {@code before}, a tenant's receiver or a global one. */
    public void remove(Destination before, int slot) {
      String tenant = before.tenant();
      if (tenant == null) {
        globalsGone.add(slot);
      } else {
        remove(tenant, slot);
      }
    }

    /** {@code slot} holds {@code after}, a tenant's receiver or a global one. */
    public void add(Destination after, int slot) {
      String tenant = after.tenant();
      if (tenant == null) {
        globalsAdded.add(slot);
      } else {
        add(tenant, slot);
      }
    }

    /**
     * A slot holds its receiver bound to another config now, the same receiver with the same scope
     * and tenant: no tenant's slots change, and only what holds destinations rather than slots (a
     * namespace's kept merge, see {@link NamespaceTargets}) is made again. Nothing per receiver is
     * recorded, so binding thousands of receivers to an edited default costs nothing here.
     */
    public void rebind() {
      rebound = true;
    }

    /** Whether some receiver was bound anew in its slot ({@link #rebind}). */
    public boolean rebound() {
      return rebound;
    }

    /** The slots that held a global receiver before the change and may not after. */
    public int[] globalsGone() {
      return globalsGone.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The slots that hold a global receiver after the change, new or replaced. */
    public int[] globalsAdded() {
      return globalsAdded.stream().mapToInt(Integer::intValue).toArray();
    }

    public void remove(String tenant, int slot) {
      removed.computeIfAbsent(tenant, t -> new ArrayList<>()).add(slot);
      tenants.add(tenant);
    }

    public void add(String tenant, int slot) {
      added.computeIfAbsent(tenant, t -> new ArrayList<>()).add(slot);
      tenants.add(tenant);
    }

    /** The tenants whose slots change. */
    public Set<String> tenants() {
      return tenants;
    }

    /**
     * {@code tenant}'s slots after the change, listed by rank in {@code after}.
     *
     * @param before its slots before, listed by rank; {@code null} when it had none
     */
    public int[] apply(String tenant, int @Nullable [] before, Slots after) {
      int[] out = before == null ? new int[0] : before;
      for (int slot : removed.getOrDefault(tenant, List.of())) {
        out = Slots.remove(out, slot);
      }
      for (int slot : added.getOrDefault(tenant, List.of())) {
        out = insertByRank(out, slot, after.rankOfSlot());
      }
      return out;
    }
  }
}
