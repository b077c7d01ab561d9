package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Destination;
import java.util.List;
import java.util.Map;

/**
 * The receivers of a set that route, each with its config.
 *
 * @param destinations sorted by kind and name; a destination's position is its index
 * @param globals indexes of the global receivers, ascending
 * @param byTenant tenant: indexes of its receivers, ascending
 */
public record ResolvedReceivers(
    List<Destination> destinations, List<Integer> globals, Map<String, List<Integer>> byTenant) {}
