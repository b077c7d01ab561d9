package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.TemplateSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The template bodies of a set: the {@code v1/ConfigMap}s in nm4j's namespace, each key a template,
 * owned like secrets (a tenant's carries its tenant label, anything else is the admin's). Templates
 * are tenant input, so sizes are bounded: a key over {@link #MAX_TEMPLATE_BYTES} is reported and
 * left out, and an owner's ConfigMaps beyond {@link #MAX_BYTES_PER_OWNER} in all (by name) are
 * reported and unused.
 */
public final class TemplateSets {
  /** The kind template bodies are kept in. */
  public static final String KIND = "ConfigMap";

  /** The largest template body, in UTF-8 bytes. */
  public static final int MAX_TEMPLATE_BYTES = 64 * 1024;

  /** The most template text one owner (a tenant, or the admin) may keep, in UTF-8 bytes. */
  public static final int MAX_BYTES_PER_OWNER = 512 * 1024;

  /** A ConfigMap's templates and who owns it. */
  record TemplateSet(Owner owner, Map<String, TemplateSource> templates) {}

  private final Map<String, TemplateSet> byName;

  private TemplateSets(Map<String, TemplateSet> byName) {
    this.byName = byName;
  }

  /** The ConfigMaps of a set, read under {@code settings}' ownership rule. */
  public static TemplateSets read(
      List<ConfigObject> configMaps, Settings settings, SnapshotProblems problems) {
    List<ConfigObject> sorted = new ArrayList<>(configMaps);
    sorted.sort(Comparator.comparing(o -> o.metadata().name()));
    Map<String, TemplateSet> byName = new HashMap<>();
    Map<Owner, Integer> usedBytes = new HashMap<>();
    for (ConfigObject o : sorted) {
      Owner owner = Owner.ofSecret(o.metadata().labels(), settings);
      Map<String, TemplateSource> templates = new LinkedHashMap<>();
      int bytes = 0;
      Object data = o.body().get("data");
      if (data != null && !(data instanceof Map<?, ?>)) {
        problems.error(o.ref(), "data", "must be an object of strings");
        continue;
      }
      if (data instanceof Map<?, ?> map) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
          String key = String.valueOf(e.getKey());
          if (!(e.getValue() instanceof String text)) {
            problems.error(o.ref(), "data." + key, "must be a string");
            continue;
          }
          int size = text.getBytes(StandardCharsets.UTF_8).length;
          if (size > MAX_TEMPLATE_BYTES) {
            problems.error(
                o.ref(),
                "data." + key,
                "a template may hold at most " + MAX_TEMPLATE_BYTES + " bytes, was " + size);
            continue;
          }
          bytes += size;
          templates.put(key, new TemplateSource(nameOf(o.ref(), key), text));
        }
      }
      int total = usedBytes.getOrDefault(owner, 0) + bytes;
      if (total > MAX_BYTES_PER_OWNER) {
        problems.error(
            o.ref(),
            "data",
            "the templates of "
                + owner.describe()
                + " may hold at most "
                + MAX_BYTES_PER_OWNER
                + " bytes in all; this ConfigMap would make "
                + total
                + "; not used");
        continue;
      }
      usedBytes.put(owner, total);
      byName.put(o.metadata().name(), new TemplateSet(owner, templates));
    }
    return new TemplateSets(byName);
  }

  /** The name a template is known by in problems: {@code ConfigMap/name:key}. */
  static String nameOf(ObjectRef configMap, String key) {
    return configMap + ":" + key;
  }

  /** The ConfigMap {@code name}, or {@code null} when there is none. */
  @Nullable TemplateSet get(String name) {
    return byName.get(name);
  }
}
