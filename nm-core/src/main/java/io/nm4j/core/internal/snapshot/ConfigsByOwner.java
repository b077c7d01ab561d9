package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ConfigSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The first step of routing a set: its valid configs sorted by who may select them (each tenant's
 * own, the admin's) and the one default of each kind, every config checked against what its owner
 * may use.
 */
public final class ConfigsByOwner {
  /** Config kind, then tenant: that tenant's configs of the kind. */
  private final Map<String, Map<String, List<ParsedObject<ConfigSpec>>>> tenantConfigs;

  /** Config kind: the admin-owned configs of the kind that are not defaults. */
  private final Map<String, List<ParsedObject<ConfigSpec>>> adminConfigs;

  /** Config kind: the default config of the kind. */
  private final Map<String, ParsedObject<ConfigSpec>> defaultByKind;

  /** The config kinds with more than one default, all but one of them reported and unused. */
  private final Set<String> severalDefaults;

  private ConfigsByOwner() {
    this.tenantConfigs = new HashMap<>();
    this.adminConfigs = new HashMap<>();
    this.defaultByKind = new HashMap<>();
    this.severalDefaults = new HashSet<>();
  }

  private ConfigsByOwner(
      ConfigsByOwner before,
      Map<String, Map<String, List<ParsedObject<ConfigSpec>>>> tenantConfigs,
      Map<String, List<ParsedObject<ConfigSpec>>> adminConfigs,
      Map<String, ParsedObject<ConfigSpec>> defaultByKind) {
    this.tenantConfigs = tenantConfigs;
    this.adminConfigs = adminConfigs;
    this.defaultByKind = defaultByKind;
    this.severalDefaults = before.severalDefaults;
  }

  /**
   * Sorts {@code configs} by owner. A tenant config without its tenant label is reported and left
   * out; of several defaults of a kind the oldest wins, then the smallest name, and the others are
   * reported and left out.
   */
  public static ConfigsByOwner sort(
      List<ParsedObject<ConfigSpec>> configs,
      Settings settings,
      OwnerChecks checks,
      SnapshotProblems problems) {
    ConfigsByOwner sorted = new ConfigsByOwner();
    String tenantKey = settings.tenantKey();
    Map<String, List<ParsedObject<ConfigSpec>>> defaultsByKind = new HashMap<>();
    LabelMatcher defaults = LabelMatcher.of(settings.defaultConfigSelector());
    LabelMatcher tenantObjects = LabelMatcher.of(settings.tenantReceiverSelector());
    for (ParsedObject<ConfigSpec> c : configs) {
      Map<String, String> labels = c.labels();
      boolean isDefault = defaults.matches(labels);
      boolean tenantObject = !isDefault && tenantObjects.matches(labels);
      String tenant = labels.get(tenantKey);
      if (tenantObject && (tenant == null || tenant.isEmpty())) {
        problems.error(
            c.ref(),
            "metadata.labels",
            "a tenant config needs the label \"" + tenantKey + "\" naming its tenant; not used");
        continue;
      }
      Owner owner = Owner.ofObject(tenantObject, labels, settings);
      checks.check(c.ref(), c.spec(), owner);
      if (isDefault) {
        defaultsByKind.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
      } else if (!owner.isAdmin()) {
        sorted
            .tenantConfigs
            .computeIfAbsent(c.kind(), k -> new HashMap<>())
            .computeIfAbsent(owner.tenant(), t -> new ArrayList<>())
            .add(c);
      } else {
        sorted.adminConfigs.computeIfAbsent(c.kind(), k -> new ArrayList<>()).add(c);
      }
    }
    // Made immutable once here: the memo keeps, with each receiver's resolution, the configs it
    // could select, which are then these lists rather than a copy per receiver.
    sorted
        .tenantConfigs
        .values()
        .forEach(byTenant -> byTenant.replaceAll((t, l) -> List.copyOf(l)));
    sorted.adminConfigs.replaceAll((kind, l) -> List.copyOf(l));
    defaultsByKind.forEach(
        (kind, candidates) -> {
          sorted.defaultByKind.put(kind, pickDefault(candidates, problems));
          if (candidates.size() > 1) {
            sorted.severalDefaults.add(kind);
          }
        });
    return sorted;
  }

  /** Whether a config with these labels is a default, as {@link #sort} sorts it. */
  public static boolean isDefault(Map<String, String> labels, Settings settings) {
    return settings.defaultConfigSelector().matches(labels);
  }

  /**
   * The owner of a config with these labels when it is a tenant's own config or the admin's (not a
   * default) as {@link #sort} sorts it; {@code null} for a default, or a tenant object without its
   * tenant label.
   */
  public static @Nullable Owner selectableConfigOwner(
      Map<String, String> labels, Settings settings) {
    if (isDefault(labels, settings)) {
      return null;
    }
    if (!settings.tenantReceiverSelector().matches(labels)) {
      return Owner.ADMIN;
    }
    String tenant = labels.get(settings.tenantKey());
    return tenant == null || tenant.isEmpty() ? null : Owner.tenant(tenant);
  }

  /** The oldest default wins, then the smallest name; the others are problems, never used. */
  private static ParsedObject<ConfigSpec> pickDefault(
      List<ParsedObject<ConfigSpec>> candidates, SnapshotProblems problems) {
    candidates.sort(
        Comparator.comparing(
                (ParsedObject<ConfigSpec> c) -> c.object().metadata().creationTimestamp(),
                Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(ParsedObject::name));
    ParsedObject<ConfigSpec> winner = candidates.get(0);
    for (ParsedObject<ConfigSpec> loser : candidates.subList(1, candidates.size())) {
      problems.routingError(
          loser.ref(),
          "metadata.labels",
          "a second default "
              + loser.kind()
              + "; "
              + winner.ref()
              + " is the default (oldest, then first by name), this one is not used");
    }
    return winner;
  }

  /**
   * The configs of {@code configKind} besides the default that a receiver may select: its tenant's
   * own for a tenant receiver, the admin's for a global one ({@code tenant} null).
   */
  public List<ParsedObject<ConfigSpec>> selectableBy(@Nullable String tenant, String configKind) {
    return tenant == null
        ? adminConfigs.getOrDefault(configKind, List.of())
        : tenantConfigs.getOrDefault(configKind, Map.of()).getOrDefault(tenant, List.of());
  }

  /** The default config of {@code configKind}; {@code null} when there is none. */
  public @Nullable ParsedObject<ConfigSpec> defaultOf(String configKind) {
    return defaultByKind.get(configKind);
  }

  /**
   * Whether the set holds more than one default of {@code configKind}: which one is used then
   * depends on every one of them, and the others are reported.
   */
  public boolean hasSeveralDefaults(String configKind) {
    return severalDefaults.contains(configKind);
  }

  /**
   * These configs after a change of configs applied in place: each owner's configs of each kind in
   * {@code changed} replaced by the list given (empty when none is left), and the default of each
   * kind in {@code defaults} replaced by the one given (the admin's, as before: a default replaced
   * in place keeps its name, labels and so its owner).
   *
   * @param changed config kind, then owner: its configs of the kind after the change
   * @param defaults config kind: its default after the change
   */
  public ConfigsByOwner withConfigs(
      Map<String, Map<Owner, List<ParsedObject<ConfigSpec>>>> changed,
      Map<String, ParsedObject<ConfigSpec>> defaults) {
    Map<String, Map<String, List<ParsedObject<ConfigSpec>>>> configs = new HashMap<>(tenantConfigs);
    Map<String, List<ParsedObject<ConfigSpec>>> admin = new HashMap<>(adminConfigs);
    changed.forEach(
        (kind, byOwner) -> {
          Map<String, List<ParsedObject<ConfigSpec>>> ofKind =
              new HashMap<>(configs.getOrDefault(kind, Map.of()));
          byOwner.forEach(
              (owner, list) -> {
                String tenant = owner.tenant();
                if (tenant == null) {
                  admin.put(kind, List.copyOf(list));
                } else if (list.isEmpty()) {
                  ofKind.remove(tenant);
                } else {
                  ofKind.put(tenant, List.copyOf(list));
                }
              });
          configs.put(kind, ofKind);
        });
    Map<String, ParsedObject<ConfigSpec>> defaultsNow = defaultByKind;
    if (!defaults.isEmpty()) {
      defaultsNow = new HashMap<>(defaultByKind);
      defaultsNow.putAll(defaults);
    }
    return new ConfigsByOwner(this, configs, admin, defaultsNow);
  }
}
