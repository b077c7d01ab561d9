package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Manifests;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.TemplateSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The language packs of a snapshot: the shipped ones ({@link LanguagePack#builtIn}) and those the
 * settings' {@code spec.template.languagePack} names, as notification-manager writes them: a list
 * of ConfigMap key references, each value a YAML list of {@code {name, dictionary}}. A pack named
 * like a shipped language replaces some of its words; any other name adds a language whose missing
 * words are English. Packs change the words every receiver shows, so only the admin's ConfigMaps
 * may hold them.
 */
public final class LanguagePacks {
  /** The longest word a pack may give, in characters. */
  public static final int MAX_WORD_CHARS = 1024;

  private static final Pattern LANGUAGE_TAG = Pattern.compile("[a-z]{2,8}(-[a-z0-9]{1,8})*");
  private static final String FIELD = "spec.template.languagePack";

  private final Map<String, LanguagePack> added;

  private LanguagePacks(Map<String, LanguagePack> added) {
    this.added = added;
  }

  /** Only the shipped packs. */
  public static final LanguagePacks BUILT_IN = new LanguagePacks(Map.of());

  /**
   * The packs the settings name.
   *
   * @param settings the settings object in use; {@code null} when there is none
   * @param sets the template sets, where pack ConfigMaps are read (bounded and owned like
   *     templates)
   */
  public static LanguagePacks read(
      @Nullable ConfigObject settings, TemplateSets sets, SnapshotProblems problems) {
    if (settings == null
        || !(settings.body().get("spec") instanceof Map<?, ?> spec)
        || !(spec.get("template") instanceof Map<?, ?> template)
        || template.get("languagePack") == null) {
      return BUILT_IN;
    }
    if (!(template.get("languagePack") instanceof List<?> refs)) {
      problems.error(settings.ref(), FIELD, "must be a list of {name, key} ConfigMap references");
      return BUILT_IN;
    }
    Map<String, LanguagePack> added = new TreeMap<>();
    for (int i = 0; i < refs.size(); i++) {
      String field = FIELD + "[" + i + "]";
      if (!(refs.get(i) instanceof Map<?, ?> ref)
          || !(ref.get("name") instanceof String name)
          || name.isBlank()) {
        problems.error(settings.ref(), field + ".name", "is required: the ConfigMap's name");
        continue;
      }
      String key = ref.get("key") instanceof String k && !k.isBlank() ? k : null;
      TemplateSets.TemplateSet set = sets.get(name);
      if (set == null) {
        problems.error(
            settings.ref(),
            field,
            "there is no " + TemplateSets.KIND + " \"" + name + "\"; its words are not used");
        continue;
      }
      if (!set.owner().isAdmin()) {
        problems.error(
            settings.ref(),
            field,
            TemplateSets.KIND
                + "/"
                + name
                + " belongs to "
                + set.owner().describe()
                + "; language packs change every receiver's words, so only the admin's"
                + " ConfigMaps may hold them; not used");
        continue;
      }
      if (key != null && !set.templates().containsKey(key)) {
        problems.error(
            settings.ref(),
            field + ".key",
            TemplateSets.KIND + "/" + name + " has no key \"" + key + "\"");
        continue;
      }
      ObjectRef configMap = new ObjectRef(TemplateSets.KIND, name);
      for (Map.Entry<String, TemplateSource> e : set.templates().entrySet()) {
        if (key == null || key.equals(e.getKey())) {
          readPacks(configMap, e.getKey(), e.getValue().text(), added, problems);
        }
      }
    }
    return new LanguagePacks(Map.copyOf(added));
  }

  /** Reads one ConfigMap value: a list of packs; each adds to or replaces words of its language. */
  private static void readPacks(
      ObjectRef configMap,
      String key,
      String text,
      Map<String, LanguagePack> into,
      SnapshotProblems problems) {
    String field = "data." + key;
    Object tree;
    try {
      tree = Manifests.readTree(text);
    } catch (IllegalArgumentException e) {
      problems.error(configMap, field, "not a language pack: " + e.getMessage());
      return;
    }
    if (!(tree instanceof List<?> packs)) {
      problems.error(
          configMap, field, "must be a YAML list of language packs, each {name, dictionary}");
      return;
    }
    for (int i = 0; i < packs.size(); i++) {
      String at = field + "[" + i + "]";
      if (!(packs.get(i) instanceof Map<?, ?> pack)) {
        problems.error(configMap, at, "must be an object {name, dictionary}");
        continue;
      }
      String language =
          pack.get("name") instanceof String n
              ? n.strip().toLowerCase(Locale.ROOT).replace('_', '-')
              : "";
      if (!LANGUAGE_TAG.matcher(language).matches()) {
        problems.error(
            configMap,
            at + ".name",
            "must be a language tag like fr or zh-cn, was " + describe(pack.get("name")));
        continue;
      }
      if (!(pack.get("dictionary") instanceof Map<?, ?> dictionary)) {
        problems.error(configMap, at + ".dictionary", "must be an object of words by key");
        continue;
      }
      Map<String, String> words = new LinkedHashMap<>();
      TreeSet<String> unused = new TreeSet<>();
      for (Map.Entry<?, ?> w : dictionary.entrySet()) {
        String word = String.valueOf(w.getKey());
        String wordField = at + ".dictionary." + word;
        String known = keyOf(word);
        if (known == null) {
          unused.add(word);
        } else if (!(w.getValue() instanceof String value)) {
          problems.error(configMap, wordField, "must be a string, was " + describe(w.getValue()));
        } else if (value.length() > MAX_WORD_CHARS) {
          problems.error(
              configMap,
              wordField,
              "a word may hold at most " + MAX_WORD_CHARS + " characters, was " + value.length());
        } else {
          words.put(known, value);
        }
      }
      if (!unused.isEmpty()) {
        problems.notice(
            configMap,
            at + ".dictionary",
            "nm4j shows no words "
                + unused
                + " (its words are "
                + LanguagePack.KEYS
                + "); ignored");
      }
      LanguagePack base = into.get(language);
      if (base == null) {
        base =
            LanguagePack.builtIn(language)
                .filter(b -> b.language().equals(language))
                .orElse(new LanguagePack(language, Map.of()));
      }
      into.put(language, base.withWords(words));
    }
  }

  /** The pack's key for a dictionary word, ignoring case as notification-manager does. */
  private static @Nullable String keyOf(String word) {
    for (String key : LanguagePack.KEYS) {
      if (key.equalsIgnoreCase(word)) {
        return key;
      }
    }
    return null;
  }

  private static String describe(@Nullable Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  /** The pack of {@code language}: one the settings name, else a shipped one. */
  public Optional<LanguagePack> find(String language) {
    String tag = language.toLowerCase(Locale.ROOT).replace('_', '-');
    LanguagePack pack = added.get(tag);
    if (pack != null) {
      return Optional.of(pack);
    }
    return LanguagePack.builtIn(tag).map(b -> added.getOrDefault(b.language(), b));
  }

  /** The languages there are packs for, for messages. */
  public List<String> languages() {
    TreeSet<String> all = new TreeSet<>(added.keySet());
    all.add(LanguagePack.ENGLISH.language());
    all.add(LanguagePack.CHINESE_SIMPLIFIED.language());
    return new ArrayList<>(all);
  }
}
