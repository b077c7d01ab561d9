package io.nm4j.core.internal.admin;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.internal.v2beta2.Credentials;
import io.nm4j.core.internal.v2beta2.V2beta2Objects;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The REST resources of the admin API: {@code secrets}, {@code configmaps} (template sets and
 * language packs); for each channel, the plurals its description gives its receiver and config
 * kinds ({@code emailreceivers}, {@code dingtalkconfigs}, ...); and the cluster-scoped v2beta2
 * {@code receivers}, {@code configs}, {@code routers} and {@code silences}.
 */
public final class Resources {
  public static final String SECRET_KIND = "Secret";

  /** The kind of template sets and language packs. */
  public static final String CONFIG_MAP_KIND = "ConfigMap";

  /** The admin API version of the per-channel kinds. */
  public static final String V2ALPHA1 = "v2alpha1";

  /** The admin API version of the unified v2beta2 kinds. */
  public static final String V2BETA2 = "v2beta2";

  /** What a resource holds. */
  public enum Role {
    SECRET,
    /** A ConfigMap: templates or language packs, owned like secrets. */
    CONFIG_MAP,
    RECEIVER,
    CONFIG,
    ROUTER,
    SILENCE
  }

  /**
   * One resource.
   *
   * @param provider the channel of a per-channel kind; {@code null} for secrets and the v2beta2
   *     kinds, whose objects hold a block per channel
   * @param clusterScoped whether its objects have no namespace
   */
  public record Resource(
      String plural,
      String kind,
      String apiVersion,
      Role role,
      @Nullable ChannelProvider<?, ?> provider,
      boolean clusterScoped) {

    /** The admin API version it is served under (secrets and ConfigMaps under both). */
    public boolean servedUnder(String adminVersion) {
      return isCoreKind() || adminVersion.equals(clusterScoped ? V2BETA2 : V2ALPHA1);
    }

    /** Whether it is a Kubernetes {@code v1} kind, owned by its tenant label alone. */
    public boolean isCoreKind() {
      return role == Role.SECRET || role == Role.CONFIG_MAP;
    }
  }

  private final Map<String, Resource> byPlural;
  private final Map<String, Resource> byKind;

  public Resources(ChannelRegistry channels) {
    Map<String, Resource> plural = new LinkedHashMap<>();
    plural.put("secrets", new Resource("secrets", SECRET_KIND, "v1", Role.SECRET, null, false));
    plural.put(
        "configmaps",
        new Resource("configmaps", CONFIG_MAP_KIND, "v1", Role.CONFIG_MAP, null, false));
    for (ChannelProvider<?, ?> p : channels.providers()) {
      add(plural, Objects.requireNonNull(channels.description(p.configKind())), Role.CONFIG, p);
      add(plural, Objects.requireNonNull(channels.description(p.receiverKind())), Role.RECEIVER, p);
    }
    Map<String, Role> unified =
        Map.of(
            V2beta2Objects.RECEIVER, Role.RECEIVER,
            V2beta2Objects.CONFIG, Role.CONFIG,
            V2beta2Objects.ROUTER, Role.ROUTER,
            V2beta2Objects.SILENCE, Role.SILENCE);
    for (KindDescription kind : channels.kindDescriptions()) {
      if (kind.clusterScoped()) {
        plural.put(
            kind.plural(),
            new Resource(
                kind.plural(),
                kind.kind(),
                kind.apiVersion(),
                Objects.requireNonNull(unified.get(kind.kind())),
                null,
                true));
      }
    }
    Map<String, Resource> kind = new LinkedHashMap<>();
    plural.values().forEach(r -> kind.put(r.kind(), r));
    this.byPlural = Collections.unmodifiableMap(plural);
    this.byKind = Collections.unmodifiableMap(kind);
  }

  private static void add(
      Map<String, Resource> into, KindDescription kind, Role role, ChannelProvider<?, ?> provider) {
    into.put(
        kind.plural(),
        new Resource(kind.plural(), kind.kind(), ConfigObject.API_VERSION, role, provider, false));
  }

  public @Nullable Resource byPlural(String plural) {
    return byPlural.get(plural);
  }

  public @Nullable Resource byKind(String kind) {
    return byKind.get(kind);
  }

  public Map<String, Resource> all() {
    return byPlural;
  }

  /**
   * The typed spec of a receiver or config, parsed by its channel; {@code null} when it is not one
   * or not valid.
   *
   * @param namespace the namespace secret references resolve in
   */
  public @Nullable ChannelSpec specOf(ConfigObject o, String namespace) {
    Resource r = byKind(o.kind());
    if (r == null
        || r.provider() == null
        || !(o.body().get("spec") instanceof Map<?, ?>) && o.body().get("spec") != null) {
      return null;
    }
    SpecReader reader = SpecReader.of(o.spec(), namespace);
    try {
      Parsed<? extends ChannelSpec> parsed =
          r.role() == Role.RECEIVER
              ? r.provider().parseReceiver(reader)
              : r.provider().parseConfig(reader);
      return parsed.isValid() ? parsed.value() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The names of the secrets a receiver or config references; none when it is not valid. */
  public Set<String> secretNames(ConfigObject o, String namespace) {
    Resource r = byKind(o.kind());
    if (r != null && r.clusterScoped() && (r.role() == Role.RECEIVER || r.role() == Role.CONFIG)) {
      return Credentials.secretNames(o.body().get("spec"), namespace);
    }
    ChannelSpec spec = specOf(o, namespace);
    Set<String> names = new TreeSet<>();
    if (spec != null) {
      spec.secretRefs().values().forEach(s -> names.add(s.name()));
    }
    return names;
  }
}
