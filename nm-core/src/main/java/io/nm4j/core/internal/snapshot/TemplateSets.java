package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The template bodies of a set: the {@code v1/ConfigMap}s in nm4j's namespace, each key a template,
 * owned like secrets (a tenant's carries its tenant label, anything else is the admin's). Templates
 * are tenant input, so sizes are bounded: a key over {@link #MAX_TEMPLATE_BYTES} is reported and
 * left out, and an owner's ConfigMaps beyond {@link #MAX_BYTES_PER_OWNER} in all (by name) are
 * reported and unused.
 *
 * <p>Only the ConfigMaps some object names ({@link #addNamedBy}, {@link #addNamedIn}) are read: a
 * namespace holds ConfigMaps of other programs (a cluster's CA bundle, Prometheus rule files),
 * which are neither templates nor anyone's budget.
 */
public final class TemplateSets {
  /** The most keys a ConfigMap written through the admin API may hold. */
  public static final int MAX_KEYS = 64;

  private static final Set<String> REFERENCE_FIELDS = Set.of("tmplText", "text", "languagePack");
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

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

  /**
   * The ConfigMaps of a set that are named, read under {@code settings}' ownership rule.
   *
   * @param named the names of the ConfigMaps to read, see {@link #addNamedBy} and {@link
   *     #addNamedIn}
   */
  public static TemplateSets read(
      List<ConfigObject> configMaps,
      Set<String> named,
      Settings settings,
      SnapshotProblems problems) {
    List<ConfigObject> sorted = new ArrayList<>();
    for (ConfigObject o : configMaps) {
      if (named.contains(o.metadata().name())) {
        sorted.add(o);
      }
    }
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

  /**
   * Adds the names of the ConfigMaps a set names besides its receivers' (see {@link #addNamedBy}):
   * the {@code name} of every {@code tmplText} of a v2beta2 receiver block or of the settings'
   * per-kind options, of the settings' {@code spec.template.text} and of each {@code
   * spec.template.languagePack} entry. These objects are searched by field name anywhere in their
   * {@code spec}, so a channel's block needs no registration here.
   *
   * @param settings the settings objects
   * @param v2beta2 the v2beta2 objects
   * @param into the names found so far, added to
   */
  public static void addNamedIn(
      List<ConfigObject> settings, List<ConfigObject> v2beta2, Set<String> into) {
    for (List<ConfigObject> walked : List.of(settings, v2beta2)) {
      for (ConfigObject o : walked) {
        if (o.body().get("spec") instanceof Map<?, ?> spec) {
          collectNames(spec, 0, into);
        }
      }
    }
  }

  /**
   * Adds the name of the ConfigMap a valid receiver names. A receiver names its set in its
   * top-level {@code spec.tmplText} (its schema has no other place for one), so only that field is
   * read, as the receiver is read: its spec is then at hand, where a later pass over 50,000
   * receivers would fetch each spec from memory again. An invalid receiver does not render, and the
   * sets only it names are not read. Names only choose among a set's ConfigMaps, so a build asks
   * for none while the set has shown no ConfigMap.
   */
  public static void addNamedBy(ParsedObject<ReceiverSpec> receiver, Set<String> into) {
    Object reference = receiver.object().spec().get("tmplText");
    addName(reference, into);
    if (reference instanceof List<?> list) {
      list.forEach(item -> addName(item, into));
    }
  }

  private static void collectNames(Object node, int depth, Set<String> into) {
    // Manifests are depth-limited when read; the bound keeps a hand-built object from recursing.
    if (depth > 32) {
      return;
    }
    if (node instanceof Map<?, ?> map) {
      // forEach rather than entrySet(): an unmodifiable map's entry view wraps every entry.
      map.forEach(
          (key, value) -> {
            if (key instanceof String field && REFERENCE_FIELDS.contains(field)) {
              addName(value, into);
              if (value instanceof List<?> list) {
                list.forEach(item -> addName(item, into));
              }
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
              collectNames(value, depth + 1, into);
            }
          });
    } else if (node instanceof List<?> list) {
      for (int i = 0, n = list.size(); i < n; i++) {
        Object item = list.get(i);
        if (item instanceof Map<?, ?> || item instanceof List<?>) {
          collectNames(item, depth + 1, into);
        }
      }
    }
  }

  private static void addName(@Nullable Object reference, Set<String> into) {
    if (reference instanceof Map<?, ?> ref && ref.get("name") instanceof String name) {
      into.add(name);
    }
  }

  /**
   * The problems of a ConfigMap written on its own (through the admin API) that a snapshot would
   * find only once a receiver uses it: more than {@link #MAX_KEYS} keys, a key Kubernetes would
   * refuse, and a template that compiles in no format (each key is compiled with the other keys as
   * its library), named by key, line and column.
   *
   * @param engine the engine templates compile with; {@code null} when there is none
   */
  public static void checkWrite(
      ConfigObject configMap, @Nullable TemplateEngine engine, SnapshotProblems problems) {
    if (!(configMap.body().get("data") instanceof Map<?, ?> data)) {
      return; // read() reports a malformed data field
    }
    if (data.size() > MAX_KEYS) {
      problems.error(
          configMap.ref(),
          "data",
          "a ConfigMap of templates may hold at most " + MAX_KEYS + " keys, had " + data.size());
      return;
    }
    List<TemplateSource> all = new ArrayList<>();
    for (Map.Entry<?, ?> e : data.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.length() > 253 || !CONFIG_MAP_KEY.matcher(key).matches()) {
        problems.error(
            configMap.ref(),
            "data." + key,
            "a key must consist of letters, digits, '-', '_' or '.' (at most 253)");
      } else if (e.getValue() instanceof String text) {
        all.add(new TemplateSource(nameOf(configMap.ref(), key), text));
      }
    }
    if (engine == null) {
      return;
    }
    for (TemplateSource source : all) {
      List<TemplateSource> library = new ArrayList<>();
      library.add(ChannelTemplates.library());
      all.stream().filter(t -> t != source).forEach(library::add);
      @Nullable TemplateProblem first = null;
      // The format depends on the slot that uses the template; any one it compiles in may be used.
      for (TemplateFormat format : TemplateFormat.values()) {
        TemplateCompilation result = engine.compile(source, library, format);
        if (result instanceof TemplateCompilation.Compiled) {
          first = null;
          break;
        }
        TemplateProblem problem = ((TemplateCompilation.Invalid) result).problems().get(0);
        if (!problem.template().equals(source.name())) {
          // Another key of the set is broken; it is reported when it is compiled itself.
          first = null;
          break;
        }
        if (first == null) {
          first = problem;
        }
      }
      if (first != null) {
        String key = source.name().substring(configMap.ref().toString().length() + 1);
        problems.error(configMap.ref(), "data." + key, first.toString());
      }
    }
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
