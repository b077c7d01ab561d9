package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigObjectBuilderTest {

  @Test
  void anObjectBuiltInCodeIsANotificationKindInTheManagersNamespaceUnlessToldOtherwise() {
    ConfigObject receiver =
        ConfigObject.of("EmailReceiver", "shop-email")
            .label("type", "tenant")
            .label("namespace", "shop")
            .spec(Map.of("to", List.of("shop-team@example.com")))
            .build();

    assertThat(receiver.apiVersion()).isEqualTo(ConfigObject.API_VERSION);
    assertThat(receiver.kind()).isEqualTo("EmailReceiver");
    assertThat(receiver.ref()).isEqualTo(new ObjectRef("EmailReceiver", "shop-email"));
    assertThat(receiver.metadata().namespace()).as("empty: the manager's namespace").isEmpty();
    assertThat(receiver.metadata().labels())
        .containsExactlyInAnyOrderEntriesOf(Map.of("type", "tenant", "namespace", "shop"));
    assertThat(receiver.metadata().uid()).isEmpty();
    assertThat(receiver.metadata().resourceVersion()).isEmpty();
    assertThat(receiver.metadata().creationTimestamp()).isNull();
    assertThat(receiver.spec()).isEqualTo(Map.of("to", List.of("shop-team@example.com")));
    assertThat(receiver.origin()).isEqualTo(ConfigObject.ORIGIN_CODE);
  }

  @Test
  void withoutASpecTheSpecIsEmpty() {
    ConfigObject receiver = ConfigObject.of("WebhookReceiver", "ops").build();

    assertThat(receiver.spec()).isEmpty();
    assertThat(receiver.body()).isEmpty();
  }

  @Test
  void everyMetadataFieldAndTheApiVersionCanBeSet() {
    Instant created = Instant.parse("2026-11-24T10:00:00Z");

    ConfigObject binding =
        ConfigObject.of("RoleBinding", "shop-viewers")
            .apiVersion("rbac.authorization.k8s.io/v1")
            .namespace("shop")
            .labels(Map.of("team", "shop"))
            .creationTimestamp(created)
            .field("subjects", List.of(Map.of("kind", "User", "name", "alice")))
            .origin("host database")
            .build();

    assertThat(binding.apiVersion()).isEqualTo("rbac.authorization.k8s.io/v1");
    assertThat(binding.metadata().namespace()).isEqualTo("shop");
    assertThat(binding.metadata().labels()).isEqualTo(Map.of("team", "shop"));
    assertThat(binding.metadata().creationTimestamp()).isEqualTo(created);
    assertThat(binding.at("subjects")).isEqualTo(List.of(Map.of("kind", "User", "name", "alice")));
    assertThat(binding.origin()).isEqualTo("host database");
  }

  @Test
  void aSecretIsAV1SecretWhoseDataIsTheBase64OfTheUtf8Value() {
    ConfigObject secret =
        ConfigObject.secret("shop-smtp")
            .label("namespace", "shop")
            .data("password", "pässword")
            .data("ca.crt", new byte[] {0, 1, 2, (byte) 0xff})
            .build();

    assertThat(secret.apiVersion()).isEqualTo("v1");
    assertThat(secret.kind()).isEqualTo("Secret");
    assertThat(secret.metadata().labels()).isEqualTo(Map.of("namespace", "shop"));
    assertThat(secret.at("data.password"))
        .isEqualTo(Base64.getEncoder().encodeToString("pässword".getBytes(StandardCharsets.UTF_8)));
    assertThat(secret.at("data.ca.crt")).as("dotted keys are not paths").isNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> data = (Map<String, Object>) secret.body().get("data");
    assertThat(Base64.getDecoder().decode((String) data.get("ca.crt")))
        .containsExactly(0, 1, 2, 0xff);
  }

  @Test
  void changingAGivenMapOrListAfterwardsDoesNotChangeTheObject() {
    List<Object> to = new ArrayList<>(List.of("a@example.com"));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("to", to);

    ConfigObject receiver = ConfigObject.of("EmailReceiver", "r").spec(spec).build();
    to.add("b@example.com");
    spec.put("emailConfigSelector", Map.of());

    assertThat(receiver.spec()).isEqualTo(Map.of("to", List.of("a@example.com")));
    assertThatThrownBy(() -> receiver.spec().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aValueThatIsNotAPlainJdkValueIsRefusedNamingItsPath() {
    ConfigObject.Builder builder = ConfigObject.of("EmailReceiver", "r");

    assertThatThrownBy(() -> builder.spec(Map.of("to", List.of("a@example.com", new Object()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.to[1]: must be a map, list, string, number, boolean or null");
    assertThatThrownBy(() -> builder.spec(Map.of("selector", Map.of(1, "x"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec.selector: keys must be strings");
  }

  @Test
  void theFieldsTheBuilderSetsCannotBeGivenAsFields() {
    ConfigObject.Builder builder = ConfigObject.of("EmailReceiver", "r");

    for (String name : List.of("apiVersion", "kind", "metadata")) {
      assertThatThrownBy(() -> builder.field(name, "x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(name + " is set by the builder, not as a field");
    }
  }

  @Test
  void secretDataGivenBothAsValuesAndAsAFieldIsRefused() {
    ConfigObject.Builder builder =
        ConfigObject.secret("s").data("k", "v").field("data", Map.of("k", "dg=="));

    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Secret/s: data given twice");
  }
}
