package io.nm4j.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Destination;
import io.nm4j.core.internal.OwnedSecrets;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ChannelRuntimeTest {
  private static final ObjectRef RECEIVER = new ObjectRef("KeyedReceiver", "alice-team");
  private static final ObjectRef CONFIG = new ObjectRef("KeyedConfig", "alice-config");

  private final List<SendRequest<?, ?>> sent = new ArrayList<>();
  private final OwnedSecrets secrets =
      OwnedSecrets.builder(3)
          .add("alice-token", Owner.tenant("alice"), Map.of("token", bytes("token-value")))
          .add("alice-hook", Owner.tenant("alice"), Map.of("url", bytes("hook-value")))
          .add("alice-other", Owner.tenant("alice"), Map.of("token", bytes("other-value")))
          .build();

  @Test
  void aSendCarriesNoSecretsWhenNeitherItsConfigNorItsReceiverReferencesOne() {
    send(Map.of(), Map.of());

    assertThat(sent).singleElement().satisfies(r -> assertThat(r.secrets()).isEmpty());
  }

  @Test
  void aSendCarriesTheOneSecretItsConfigReferences() {
    send(Map.of("spec.token", ref("alice-token", "token")), Map.of());

    assertThat(revealed(sent.get(0))).containsExactly(Map.entry("spec.token", "token-value"));
  }

  @Test
  void aSendCarriesTheSecretsOfItsConfigAndOfItsReceiverByFieldPath() {
    send(
        Map.of("spec.token", ref("alice-token", "token")),
        Map.of("spec.webhook", ref("alice-hook", "url"), "spec.backup", ref("alice-hook", "url")));

    assertThat(revealed(sent.get(0)))
        .containsExactly(
            Map.entry("spec.backup", "hook-value"),
            Map.entry("spec.token", "token-value"),
            Map.entry("spec.webhook", "hook-value"));
  }

  @Test
  void aFieldPathTheConfigAndTheReceiverBothReferenceTakesTheReceiversSecret() {
    send(
        Map.of("spec.token", ref("alice-token", "token")),
        Map.of("spec.token", ref("alice-other", "token")));

    assertThat(revealed(sent.get(0))).containsExactly(Map.entry("spec.token", "other-value"));
  }

  @Test
  void aSecretMissingForTheReceiverSendsNothingAndNamesTheReceiverAndField() {
    SendResult result =
        send(
            Map.of("spec.token", ref("alice-token", "token")),
            Map.of("spec.webhook", ref("bob-hook", "url")));

    assertThat(sent).isEmpty();
    assertThat(result)
        .isInstanceOfSatisfying(
            SendResult.Failed.class,
            f -> {
              assertThat(f.reason()).isEqualTo(SendResult.Reason.MISSING_SECRET);
              assertThat(f.detail())
                  .isEqualTo(
                      "KeyedReceiver/alice-team: spec.webhook: secret \"bob-hook\" not found"
                          + " among tenant alice's secrets");
            });
  }

  private SendResult send(
      Map<String, SecretKeySelector> configRefs, Map<String, SecretKeySelector> receiverRefs) {
    KeyedProvider provider = new KeyedProvider(sent);
    try (ChannelRuntime runtime =
        new ChannelRuntime(
            ChannelRegistry.of(List.of(provider)),
            Map.of(),
            Clock.systemUTC(),
            Owner.Egress.DEFAULTS,
            "origin-mark",
            null,
            1)) {
      Destination d =
          new Destination(
              RECEIVER,
              Scope.TENANT,
              "alice",
              provider,
              new KeyedReceiver(receiverRefs),
              CONFIG,
              new KeyedConfig(configRefs),
              null,
              "alice");
      Alert alert =
          new Alert(
              AlertStatus.FIRING,
              Map.of("alertname", "Down", "namespace", "alice"),
              Map.of(),
              Instant.parse("2026-01-01T00:00:00Z"),
              null,
              "",
              "0000000000000001");
      AlertBatch batch = AlertBatch.of(List.of(alert));
      Notification n =
          new Notification("n-1", RECEIVER, Scope.TENANT, "alice", CONFIG, List.of(alert), batch);
      return runtime.send(d, n, secrets, Instant.now().plusSeconds(10));
    }
  }

  private static Map<String, String> revealed(SendRequest<?, ?> request) {
    Map<String, String> values = new TreeMap<>();
    for (Map.Entry<String, Secret> e : request.secrets().entrySet()) {
      values.put(e.getKey(), e.getValue().reveal());
    }
    return values;
  }

  private static SecretKeySelector ref(String name, String key) {
    return new SecretKeySelector(name, key);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private record KeyedReceiver(Map<String, SecretKeySelector> refs) implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return null;
    }

    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      return refs;
    }
  }

  private record KeyedConfig(Map<String, SecretKeySelector> refs) implements ConfigSpec {
    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      return refs;
    }
  }

  /** A channel whose receiver and config reference the secrets a test gives them. */
  private record KeyedProvider(List<SendRequest<?, ?>> sent)
      implements ChannelProvider<KeyedReceiver, KeyedConfig> {
    @Override
    public String name() {
      return "keyed";
    }

    @Override
    public String receiverKind() {
      return "KeyedReceiver";
    }

    @Override
    public String configKind() {
      return "KeyedConfig";
    }

    @Override
    public String selectorField() {
      return "keyedConfigSelector";
    }

    @Override
    public Parsed<KeyedReceiver> parseReceiver(SpecReader spec) {
      return Parsed.of(new KeyedReceiver(Map.of()), spec.errors());
    }

    @Override
    public Parsed<KeyedConfig> parseConfig(SpecReader spec) {
      return Parsed.of(new KeyedConfig(Map.of()), spec.errors());
    }

    @Override
    public Optional<Channel<KeyedReceiver, KeyedConfig>> channel(ChannelContext context) {
      return Optional.of(
          request -> {
            sent.add(request);
            return SendResult.delivered();
          });
    }
  }
}
