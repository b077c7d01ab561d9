package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import io.nm4j.core.internal.ShardedMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The receivers of a set that route, each with its config.
 *
 * @param destinations sorted by kind and name; a destination's position is its index
 * @param globals indexes of the global receivers, ascending
 * @param byTenant tenant: indexes of its receivers, ascending
 */
public record ResolvedReceivers(
    List<Destination> destinations, int[] globals, ShardedMap<int[]> byTenant) {

  /**
   * Holds {@code destinations} unmodifiable, not copied: the build hands over the list it made, and
   * the routing tables' slots keep this one ({@link Slots#of}).
   */
  public ResolvedReceivers {
    destinations = Collections.unmodifiableList(destinations);
  }

  /**
   * {@code destinations} indexed by tenancy: each one {@code routedByTenancy} accepts is global
   * when it has no tenant, else one of its tenant's.
   */
  public static ResolvedReceivers of(List<Destination> destinations, IntPredicate routedByTenancy) {
    int[] globals = new int[16];
    int globalCount = 0;
    // Each tenant's array holds its count first, then its indexes: one lookup per receiver, and
    // no boxed index. The map is built in the form the routing tables keep (slotsOfTenant), not
    // copied into it; split at first for a tenant per five receivers, and further if more come.
    ShardedMap.Builder<int[]> byTenant = ShardedMap.builder(destinations.size() / 5);
    for (int i = 0, n = destinations.size(); i < n; i++) {
      if (!routedByTenancy.test(i)) {
        continue;
      }
      String tenant = destinations.get(i).tenant();
      if (tenant == null) {
        globals = withRoomFor(globals, globalCount);
        globals[globalCount++] = i;
      } else {
        int[] ofTenant = byTenant.get(tenant);
        if (ofTenant == null) {
          ofTenant = new int[4];
          byTenant.put(tenant, ofTenant);
        } else if (ofTenant[0] + 1 == ofTenant.length) {
          ofTenant = Arrays.copyOf(ofTenant, ofTenant.length * 2);
          byTenant.put(tenant, ofTenant);
        }
        ofTenant[++ofTenant[0]] = i;
      }
    }
    byTenant.replaceAll((tenant, counted) -> Arrays.copyOfRange(counted, 1, counted[0] + 1));
    return new ResolvedReceivers(
        destinations, Arrays.copyOf(globals, globalCount), byTenant.build());
  }

  /**
   * These receivers and some added ones as one list, {@code destinations}, indexed as {@link #of}
   * would index it, without looking up each receiver's tenant again: each of these receivers moved
   * to {@code newIndex} of its index (which keeps their order), each added one at {@code addedAt}
   * of its index and indexed when {@code addedRouted} accepts that index.
   */
  public ResolvedReceivers with(
      List<Destination> destinations, int[] newIndex, int[] addedAt, IntPredicate addedRouted) {
    Map<String, int[]> addedByTenant = new HashMap<>();
    int[] addedGlobals = new int[addedAt.length];
    int addedGlobalCount = 0;
    for (int i = 0; i < addedAt.length; i++) {
      if (!addedRouted.test(i)) {
        continue;
      }
      String tenant = destinations.get(addedAt[i]).tenant();
      if (tenant == null) {
        addedGlobals[addedGlobalCount++] = addedAt[i];
      } else {
        int[] own = addedByTenant.get(tenant);
        addedByTenant.put(tenant, own == null ? new int[] {addedAt[i]} : append(own, addedAt[i]));
      }
    }
    ShardedMap.Builder<int[]> tenants = ShardedMap.builder(byTenant.size() + addedByTenant.size());
    byTenant.forEach((tenant, own) -> tenants.put(tenant, moved(own, newIndex)));
    addedByTenant.forEach(
        (tenant, added) -> {
          Arrays.sort(added);
          int[] own = tenants.get(tenant);
          tenants.put(tenant, own == null ? added : RoutingTables.mergeSorted(own, added));
        });
    int[] moreGlobals = Arrays.copyOf(addedGlobals, addedGlobalCount);
    Arrays.sort(moreGlobals);
    return new ResolvedReceivers(
        destinations,
        RoutingTables.mergeSorted(moved(globals, newIndex), moreGlobals),
        tenants.build());
  }

  private static int[] moved(int[] indexes, int[] newIndex) {
    int[] out = new int[indexes.length];
    for (int i = 0; i < indexes.length; i++) {
      out[i] = newIndex[indexes[i]];
    }
    return out;
  }

  private static int[] append(int[] values, int value) {
    int[] out = Arrays.copyOf(values, values.length + 1);
    out[values.length] = value;
    return out;
  }

  private static int[] withRoomFor(int[] values, int count) {
    return count < values.length ? values : Arrays.copyOf(values, values.length * 2);
  }
}
