package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Problem;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of configuration: any manifest text parses to objects and problems (never
 * an exception), every parsed object survives being written as YAML and read back, and a snapshot
 * built from whatever parsed reports problems rather than throwing, then routes and explains. The
 * seed corpus is the shared manifests, valid and invalid.
 */
class ManifestsFuzzTest {
  @FuzzTest(maxDuration = "15s")
  void anyManifestTextGivesObjectsAndProblemsAndASnapshot(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ConfigSet set = Manifests.parse(text, "fuzz.yaml");
    for (Problem p : set.problems()) {
      assertThat(p.object()).startsWith("fuzz.yaml");
      assertThat(p.message()).isNotBlank().doesNotStartWith("cannot parse:");
    }
    for (ConfigObject o : set.objects()) {
      ConfigSet again = Manifests.parse(Manifests.toYaml(o), "again.yaml");
      assertThat(again.problems()).as("problems reading back %s", o.ref()).isEmpty();
      assertThat(again.objects()).hasSize(1);
      ConfigObject back = again.objects().get(0);
      assertThat(back.apiVersion()).isEqualTo(o.apiVersion());
      assertThat(back.kind()).isEqualTo(o.kind());
      assertThat(back.metadata()).isEqualTo(o.metadata());
      assertThat(back.body()).as("body of %s", o.ref()).isEqualTo(o.body());
    }
    Snapshot snapshot =
        Snapshot.build(set, Fixtures.CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
    for (Problem p : snapshot.problems()) {
      assertThat(p.message()).isNotBlank();
    }
    if (!set.objects().isEmpty()) {
      assertThat(
              Snapshot.validate(
                  set.objects().get(0),
                  set,
                  Fixtures.CHANNELS,
                  NotificationManager.DEFAULT_NAMESPACE))
          .isNotNull();
    }
    assertThat(
            Explain.of(
                    snapshot.route(
                        Fixtures.batch(Fixtures.inNamespace("team-a"), Fixtures.alert())))
                .toJson())
        .startsWith("{");
  }
}
