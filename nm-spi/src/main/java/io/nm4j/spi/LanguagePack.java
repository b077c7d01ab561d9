package io.nm4j.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in words of messages in one language: what templates show for {@code FIRING}, {@code
 * RESOLVED} and the names of fields. A template reads them as {@code words.<key>}; a pack that
 * lacks a key gets the English word, so a pack written for an older version keeps working.
 *
 * @param language the language's tag, lower case, e.g. {@code en} or {@code zh-cn}
 * @param words the words by key, see {@link #KEYS}
 */
public record LanguagePack(String language, Map<String, String> words) {

  /** The keys every pack has, in the order of {@link #words(String...)}. */
  public static final List<String> KEYS =
      List.of(
          "firing",
          "resolved",
          "alerts",
          "alert",
          "labels",
          "annotations",
          "startsAt",
          "endsAt",
          "source",
          "runbook",
          "truncated",
          "noAlerts");

  /** English, the default. */
  public static final LanguagePack ENGLISH =
      new LanguagePack(
          "en",
          words(
              "FIRING",
              "RESOLVED",
              "alerts",
              "Alert",
              "Labels",
              "Annotations",
              "Starts",
              "Ends",
              "Source",
              "Runbook",
              "{n} more alerts were left out by Alertmanager",
              "No alerts"));

  /** Simplified Chinese. */
  public static final LanguagePack CHINESE_SIMPLIFIED =
      new LanguagePack(
          "zh-cn",
          words(
              "告警",
              "已恢复",
              "告警",
              "告警",
              "标签",
              "注解",
              "开始时间",
              "结束时间",
              "来源",
              "处理手册",
              "另有 {n} 条告警被 Alertmanager 省略",
              "没有告警"));

  public LanguagePack {
    Objects.requireNonNull(language, "language");
    language = language.toLowerCase(Locale.ROOT);
    Map<String, String> complete = new LinkedHashMap<>();
    for (String key : KEYS) {
      String word = words.get(key);
      complete.put(key, word != null ? word : englishWord(key));
    }
    words = Map.copyOf(complete);
  }

  /** The shipped pack of {@code language} ({@code en}, {@code zh-cn}, case-insensitive), if any. */
  public static Optional<LanguagePack> builtIn(String language) {
    String tag = language.toLowerCase(Locale.ROOT).replace('_', '-');
    return switch (tag) {
      case "en", "english" -> Optional.of(ENGLISH);
      case "zh-cn", "zh", "chinese" -> Optional.of(CHINESE_SIMPLIFIED);
      default -> Optional.empty();
    };
  }

  /**
   * This pack with some words replaced: a pack of words an operator supplies on top of a shipped
   * language keeps the shipped words it does not replace.
   *
   * @param replacements words by key of {@link #KEYS}; other keys are ignored
   */
  public LanguagePack withWords(Map<String, String> replacements) {
    Map<String, String> merged = new LinkedHashMap<>(words);
    replacements.forEach(
        (key, word) -> {
          if (KEYS.contains(key)) {
            merged.put(key, word);
          }
        });
    return new LanguagePack(language, merged);
  }

  /** The word of {@code key}. */
  public String word(String key) {
    String word = words.get(key);
    if (word == null) {
      throw new IllegalArgumentException("no word " + key + "; keys are " + KEYS);
    }
    return word;
  }

  private static String englishWord(String key) {
    // ENGLISH is being built when its own constructor asks; it has every key.
    return ENGLISH == null ? key : ENGLISH.words.get(key);
  }

  private static Map<String, String> words(String... values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      out.put(KEYS.get(i), values[i]);
    }
    return out;
  }
}
