package io.nm4j.core;

import static io.nm4j.core.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSlots;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Language packs from ConfigMaps the settings' {@code spec.template.languagePack} names, in
 * notification-manager's format: words of a shipped language replaced, new languages, English for
 * what a pack lacks, problems naming ConfigMap, key and field, and only the admin's ConfigMaps.
 */
class LanguagePacksTest {
  private static final ChannelRegistry CHANNELS =
      ChannelRegistry.of(
          List.of(
              new PagerChannelProvider()
                  .withTemplateSlots(TemplateSlots.single("message", TemplateFormat.TEXT))));

  private static String settings(String language, String packs) {
    return """
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: NotificationManager
        metadata: {name: notification-manager}
        spec:
          template:
            language: %s
            languagePack: %s
        """
        .formatted(language, packs);
  }

  private static String configMap(String name, String labels, String key, String value) {
    return """
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: %s, labels: %s}
        data:
          %s: |
        %s
        """
        .formatted(name, labels, key, value.indent(4).stripTrailing());
  }

  private static final String FRENCH =
      """
      - name: fr
        dictionary:
          firing: "EN COURS"
          Resolved: "RÉSOLU"
          pod: "Pod"
      - name: zh-cn
        dictionary:
          firing: "触发中"
      """;

  private static Snapshot snapshot(String yaml) {
    return Snapshot.build(yaml(yaml), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  private static LanguagePack languageOf(Snapshot s, String receiver) {
    return s.destinations().stream()
        .filter(d -> d.receiver().toString().equals(receiver))
        .findFirst()
        .orElseThrow(() -> new AssertionError(receiver + " not routed; " + Fixtures.problems(s)))
        .rendering()
        .settings()
        .language();
  }

  @Test
  void aPackAddsALanguageWhoseMissingWordsAreEnglish() {
    Snapshot s =
        snapshot(
            settings("fr", "[{name: words}]")
                + configMap("words", "{}", "packs", FRENCH)
                + Fixtures.global("ops"));

    LanguagePack fr = languageOf(s, "PagerReceiver/ops");
    assertThat(fr.language()).isEqualTo("fr");
    assertThat(fr.word("firing")).isEqualTo("EN COURS");
    assertThat(fr.word("resolved")).isEqualTo("RÉSOLU");
    assertThat(fr.word("labels")).isEqualTo("Labels");
    assertThat(Fixtures.problems(s))
        .noneMatch(p -> p.contains("no language pack"))
        .anyMatch(
            p ->
                p.contains("ConfigMap/words: data.packs[0].dictionary")
                    && p.contains("nm4j shows no words [pod]"));
  }

  @Test
  void aPackNamedLikeAShippedLanguageReplacesOnlyTheWordsItGives() {
    Snapshot s =
        snapshot(
            settings("zh-cn", "[{name: words, key: packs}]")
                + configMap("words", "{}", "packs", FRENCH)
                + Fixtures.global("ops"));

    LanguagePack zh = languageOf(s, "PagerReceiver/ops");
    assertThat(zh.word("firing")).isEqualTo("触发中");
    assertThat(zh.word("resolved"))
        .isEqualTo(LanguagePack.CHINESE_SIMPLIFIED.word("resolved"))
        .isEqualTo("已恢复");
  }

  @Test
  void withoutAPackALanguageIsUnknownAndEnglishIsUsed() {
    Snapshot s = snapshot(settings("fr", "[]") + Fixtures.global("ops"));

    assertThat(languageOf(s, "PagerReceiver/ops")).isEqualTo(LanguagePack.ENGLISH);
    assertThat(Fixtures.problems(s))
        .anyMatch(p -> p.contains("no language pack \"fr\" (there are en, zh-cn)"));
  }

  @Test
  void aBrokenPackIsAProblemNamingConfigMapKeyAndField() {
    Snapshot s =
        snapshot(
            settings("fr", "[{name: words}]")
                + configMap(
                    "words",
                    "{}",
                    "packs",
                    """
                    - name: fr
                      dictionary:
                        firing: [not, a, word]
                    - name: "no spaces allowed"
                      dictionary: {}
                    - name: de
                      dictionary: nothing
                    """)
                + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s))
        .anyMatch(p -> p.contains("ConfigMap/words: data.packs[0].dictionary.firing: must be a"))
        .anyMatch(p -> p.contains("ConfigMap/words: data.packs[1].name: must be a language tag"))
        .anyMatch(p -> p.contains("ConfigMap/words: data.packs[2].dictionary: must be an object"));
    assertThat(languageOf(s, "PagerReceiver/ops").word("firing")).isEqualTo("FIRING");
  }

  @Test
  void aPackThatIsNotYamlIsAProblemOfItsKey() {
    Snapshot s =
        snapshot(
            settings("fr", "[{name: words}]")
                + configMap("words", "{}", "packs", "name: fr\ndictionary: {firing: X}")
                + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s))
        .anyMatch(
            p -> p.contains("ConfigMap/words: data.packs: must be a YAML list of language packs"));
  }

  @Test
  void aTenantsConfigMapCannotChangeTheWordsEveryReceiverShows() {
    Snapshot s =
        snapshot(
            settings("fr", "[{name: words}]")
                + configMap("words", "{namespace: team-a}", "packs", FRENCH)
                + Fixtures.global("ops"));

    assertThat(languageOf(s, "PagerReceiver/ops")).isEqualTo(LanguagePack.ENGLISH);
    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("spec.template.languagePack[0]")
                    && p.contains("ConfigMap/words belongs to tenant team-a")
                    && p.contains("not used"));
  }

  @Test
  void aMissingPackConfigMapOrKeyIsAProblemOfTheSettings() {
    Snapshot s =
        snapshot(
            settings("en", "[{name: nowhere}, {name: words, key: nokey}]")
                + configMap("words", "{}", "packs", FRENCH)
                + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s))
        .anyMatch(
            p ->
                p.contains("spec.template.languagePack[0]")
                    && p.contains("there is no ConfigMap \"nowhere\""))
        .anyMatch(
            p ->
                p.contains("spec.template.languagePack[1].key")
                    && p.contains("has no key \"nokey\""));
  }

  @Test
  void aConfigMapNoObjectNamesIsNeverReadAsTemplates() {
    Snapshot s =
        snapshot(
            configMap("kube-root-ca.crt", "{}", "ca.crt", "x".repeat(70 * 1024))
                + Fixtures.global("ops"));

    assertThat(Fixtures.problems(s)).noneMatch(p -> p.contains("ConfigMap/kube-root-ca.crt"));
    assertThat(languageOf(s, "PagerReceiver/ops")).isEqualTo(LanguagePack.ENGLISH);
  }

  @Test
  void aPackHoldsEveryWordEvenWhenItGivesFew() {
    Snapshot s =
        snapshot(
            settings("fr", "[{name: words}]")
                + configMap("words", "{}", "packs", FRENCH)
                + Fixtures.global("ops"));

    Map<String, String> words = languageOf(s, "PagerReceiver/ops").words();
    assertThat(words).containsEntry("firing", "EN COURS").hasSize(LanguagePack.KEYS.size());
  }
}
