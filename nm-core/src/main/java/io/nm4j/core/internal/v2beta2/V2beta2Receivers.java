package io.nm4j.core.internal.v2beta2;

import io.nm4j.core.Destination;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.snapshot.OwnerChecks;
import io.nm4j.core.internal.snapshot.ParsedObject;
import io.nm4j.core.internal.snapshot.ReceiverResolver;
import io.nm4j.core.internal.snapshot.ReceiverTemplates;
import io.nm4j.core.internal.snapshot.ResolvedReceivers;
import io.nm4j.core.internal.snapshot.SnapshotProblems;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.Endpoint;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SecretKeySelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves the v2beta2 receiver blocks of a set: each as global, of one tenant, or reachable only
 * through a {@code Router} (labelled neither way), with the {@code Config} block it selects the way
 * notification-manager selects it (see {@link #resolve}).
 */
public final class V2beta2Receivers {

  /**
   * A resolved receiver block.
   *
   * @param destination where its notifications go, named {@code Receiver/<name>[<block>]}
   * @param tenantRouted whether the alerts of its tenant (or, when global, every alert) reach it
   *     without a router
   * @param name the {@code Receiver}'s {@code metadata.name}, what routers name
   * @param block the channel block
   * @param labels the {@code Receiver}'s labels, what router selectors match
   * @param filter its {@code enabled} and {@code alertSelector}
   */
  public record Resolved(
      Destination destination,
      boolean tenantRouted,
      String name,
      String block,
      Map<String, String> labels,
      ReceiverFilter filter) {}

  private final Settings settings;
  private final OwnerChecks checks;
  private final SnapshotProblems problems;
  private final ReceiverTemplates templates;

  /** Block: the default configs of that channel. */
  private final Map<String, List<V2beta2Objects.ConfigBlock>> defaults = new HashMap<>();

  /** Block, then tenant: that tenant's configs of the channel. */
  private final Map<String, Map<String, List<V2beta2Objects.ConfigBlock>>> tenantConfigs =
      new HashMap<>();

  private final Map<io.nm4j.spi.ObjectRef, Owner> configOwners = new HashMap<>();

  public V2beta2Receivers(
      Settings settings,
      OwnerChecks checks,
      ReceiverTemplates templates,
      SnapshotProblems problems) {
    this.templates = templates;
    this.settings = settings;
    this.checks = checks;
    this.problems = problems;
  }

  /**
   * Resolves every receiver block of {@code objects}. Config selection follows
   * notification-manager: a config is a default (its labels match the default config selector) or a
   * tenant's (tenant receiver selector and tenant label); any other config is never selected. A
   * global receiver picks among the defaults its config selector matches (all, without a selector);
   * a tenant receiver among its own tenant's configs its selector matches, else among all defaults,
   * whatever its selector. Of several candidates the lowest {@code priority} label wins, then the
   * first by name (upstream leaves that tie to chance).
   */
  public List<Resolved> resolve(V2beta2Objects objects) {
    return resolve(objects.configs(), objects.receivers());
  }

  /**
   * Resolves {@code receivers} against {@code configs} alone, as {@link #resolve(V2beta2Objects)}
   * does: a change applied in place passes the few configs its changed receivers may select.
   */
  public List<Resolved> resolve(
      List<V2beta2Objects.ConfigBlock> configs, List<V2beta2Objects.ReceiverBlock> receivers) {
    sortConfigs(configs);
    List<Resolved> out = new ArrayList<>();
    for (V2beta2Objects.ReceiverBlock b : receivers) {
      ParsedObject<io.nm4j.spi.ReceiverSpec> r = b.receiver();
      Map<String, String> labels = r.labels();
      boolean global = settings.globalReceiverSelector().matches(labels);
      boolean tenantObject = settings.tenantReceiverSelector().matches(labels);
      if (global && tenantObject) {
        problems.error(
            r.ref(),
            "metadata.labels",
            "matches both the global receiver selector ("
                + settings.globalReceiverSelector()
                + ") and the tenant receiver selector ("
                + settings.tenantReceiverSelector()
                + "); not used");
        continue;
      }
      String tenant = null;
      if (tenantObject) {
        tenant = ReceiverResolver.tenantLabel(r.ref(), labels, settings, problems);
        if (tenant == null) {
          continue;
        }
      }
      Owner owner = Owner.ofReceiver(labels, settings);
      String block = r.provider().description().block();
      checks.check(b.object(), "spec." + block, r.spec(), owner);
      Destination destination;
      if (b.ownConfig() != null) {
        checks.check(b.object(), "spec." + block, besides(b.ownConfig().spec(), r.spec()), owner);
        destination =
            new Destination(
                r.ref(),
                tenant == null ? Scope.GLOBAL : Scope.TENANT,
                tenant,
                r.provider(),
                r.spec(),
                r.ref(),
                b.ownConfig().spec(),
                null,
                owner.tenant());
      } else {
        destination = withConfig(r, block, tenant);
      }
      destination =
          destination
              .withRendering(
                  templates.of(
                      r.ref(), "spec." + block, r.provider(), owner.tenant(), b.templates()))
              .withSettingsOptions(settings.channelOptions(r.provider()));
      out.add(
          new Resolved(
              destination,
              global || tenantObject,
              r.name(),
              block,
              labels,
              new ReceiverFilter(b.object(), b.enabled(), b.alertSelector())));
    }
    return out;
  }

  /**
   * The secret references and endpoints of a block's own config that its receiver spec does not
   * hold too: both come from the one block, so a field both hold is checked (and reported) once.
   */
  private static ChannelSpec besides(ChannelSpec config, ChannelSpec receiver) {
    Map<String, SecretKeySelector> secretRefs = new HashMap<>(config.secretRefs());
    secretRefs.entrySet().removeIf(e -> e.getValue().equals(receiver.secretRefs().get(e.getKey())));
    Map<String, Endpoint> endpoints = new HashMap<>(config.endpoints());
    endpoints.entrySet().removeIf(e -> e.getValue().equals(receiver.endpoints().get(e.getKey())));
    return new ChannelSpec() {
      @Override
      public Map<String, SecretKeySelector> secretRefs() {
        return secretRefs;
      }

      @Override
      public Map<String, Endpoint> endpoints() {
        return endpoints;
      }
    };
  }

  private void sortConfigs(List<V2beta2Objects.ConfigBlock> configs) {
    for (V2beta2Objects.ConfigBlock c : configs) {
      ParsedObject<ConfigSpec> config = c.config();
      Map<String, String> labels = config.labels();
      String block = config.provider().description().block();
      Owner owner = Owner.ofConfig(labels, settings);
      configOwners.put(config.ref(), owner);
      checks.check(config.object().ref(), "spec." + block, config.spec(), owner);
      if (settings.defaultConfigSelector().matches(labels)) {
        defaults.computeIfAbsent(block, k -> new ArrayList<>()).add(c);
      } else if (!owner.isAdmin()) {
        tenantConfigs
            .computeIfAbsent(block, k -> new HashMap<>())
            .computeIfAbsent(owner.tenant(), k -> new ArrayList<>())
            .add(c);
      } else {
        problems.notice(
            config.ref(),
            "metadata.labels",
            "neither a default ("
                + settings.defaultConfigSelector()
                + ") nor a tenant's config;"
                + " no receiver selects it");
      }
    }
  }

  private Destination withConfig(
      ParsedObject<io.nm4j.spi.ReceiverSpec> r, String block, @Nullable String tenant) {
    LabelSelector selector = r.spec().configSelector();
    V2beta2Objects.ConfigBlock chosen;
    List<V2beta2Objects.ConfigBlock> blockDefaults = defaults.getOrDefault(block, List.of());
    if (tenant == null) {
      chosen = pick(blockDefaults, selector);
    } else {
      chosen =
          pick(
              tenantConfigs.getOrDefault(block, Map.of()).getOrDefault(tenant, List.of()),
              selector);
      if (chosen == null) {
        chosen = pick(blockDefaults, null);
        if (chosen != null && selector != null) {
          problems.notice(
              r.ref(),
              "spec." + block + "." + r.provider().selectorField(),
              "selector matched none of tenant "
                  + tenant
                  + "'s configs; using default "
                  + chosen.config().ref());
        }
      }
    }
    String reason = null;
    if (chosen == null) {
      reason =
          selector == null || tenant != null
              ? "no " + block + " Config of its own and no default"
              : "selector matched no default " + block + " Config";
      problems.routingError(
          r.ref(), "spec." + block, reason + "; its notifications fail with NO_CONFIG");
    }
    ParsedObject<ConfigSpec> config = chosen == null ? null : chosen.config();
    return new Destination(
        r.ref(),
        tenant == null ? Scope.GLOBAL : Scope.TENANT,
        tenant,
        r.provider(),
        r.spec(),
        config == null ? null : config.ref(),
        config == null ? null : config.spec(),
        reason,
        config == null ? null : configOwners.getOrDefault(config.ref(), Owner.ADMIN).tenant());
  }

  private static V2beta2Objects.@Nullable ConfigBlock pick(
      List<V2beta2Objects.ConfigBlock> candidates, @Nullable LabelSelector selector) {
    V2beta2Objects.ConfigBlock best = null;
    for (V2beta2Objects.ConfigBlock c : candidates) {
      if (selector != null && !selector.matches(c.config().labels())) {
        continue;
      }
      if (best == null
          || c.priority() < best.priority()
          || (c.priority() == best.priority()
              && c.config().name().compareTo(best.config().name()) < 0)) {
        best = c;
      }
    }
    return best;
  }

  /**
   * The v1alpha1 receivers and the v2beta2 blocks as one list sorted by receiver.
   *
   * @param receivers all of them, with the global and per-tenant indexes
   * @param positions where each v2beta2 block landed, in the order of {@code resolved}
   */
  public record Merged(ResolvedReceivers receivers, int[] positions) {}

  /**
   * Merges the v2beta2 blocks into the v1alpha1 receivers, sorted by receiver; a block reachable
   * only through a router is in neither the global nor a tenant's list.
   */
  public static Merged merge(ResolvedReceivers v1alpha1, List<Resolved> resolved) {
    if (resolved.isEmpty()) {
      return new Merged(v1alpha1, new int[0]);
    }
    List<Destination> v1 = v1alpha1.destinations();
    int v1Count = v1.size();
    int blocks = resolved.size();
    // The v1alpha1 receivers come sorted: only the blocks are sorted, and the two runs merged in
    // the order one stable sort of both would give (on a tie, the v1alpha1 receiver first).
    Integer[] blockOrder = new Integer[blocks];
    for (int i = 0; i < blocks; i++) {
      blockOrder[i] = i;
    }
    java.util.Arrays.sort(
        blockOrder,
        (x, y) ->
            resolved
                .get(x)
                .destination()
                .receiver()
                .compareTo(resolved.get(y).destination().receiver()));
    int[] order = new int[v1Count + blocks];
    int[] newIndex = new int[order.length];
    List<Destination> destinations = new ArrayList<>(order.length);
    int nextV1 = 0;
    int nextBlock = 0;
    for (int pos = 0; pos < order.length; pos++) {
      Destination block =
          nextBlock < blocks ? resolved.get(blockOrder[nextBlock]).destination() : null;
      Destination d;
      if (block == null
          || (nextV1 < v1Count && v1.get(nextV1).receiver().compareTo(block.receiver()) <= 0)) {
        order[pos] = nextV1;
        d = v1.get(nextV1++);
      } else {
        order[pos] = v1Count + blockOrder[nextBlock++];
        d = block;
      }
      newIndex[order[pos]] = pos;
      destinations.add(d);
    }
    int[] positions = new int[blocks];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = newIndex[v1Count + i];
    }
    // The v1alpha1 receivers keep their tenants and order: their indexes are moved, not derived
    // again from 50,000 destinations.
    return new Merged(
        v1alpha1.with(destinations, newIndex, positions, i -> resolved.get(i).tenantRouted()),
        positions);
  }
}
