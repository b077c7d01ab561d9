package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SendProgressTest {

  @Test
  void keysAreDigestsThatDependOnEveryPartAndItsBoundaries() {
    String key = SendProgress.key("#alerts", "part one");
    assertThat(key).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(SendProgress.key("#alerts", "part one")).isEqualTo(key);
    assertThat(SendProgress.key("#alerts", "part one.")).isNotEqualTo(key);
    assertThat(SendProgress.key("#alert", "spart one")).isNotEqualTo(key);
    assertThat(SendProgress.key("#alertspart one")).isNotEqualTo(key);
  }

  @Test
  void aKeyHoldsNothingOfWhatItWasMadeFrom() {
    String key = SendProgress.key("https://oapi.dingtalk.com/robot/send?access_token=abc123");
    assertThat(key).doesNotContain("abc123", "dingtalk");
  }

  @Test
  void aBuilderStartsFromTheGivenProgressAndAddsWhatIsDelivered() {
    SendProgress earlier = SendProgress.NONE.toBuilder().add("a").add("b").build();
    SendProgress.Builder b = earlier.toBuilder();
    assertThat(b.contains("a")).isTrue();
    assertThat(b.contains("c")).isFalse();
    SendProgress now = b.add("c").build();
    assertThat(now.keys()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(earlier.keys()).containsExactlyInAnyOrder("a", "b");
    assertThat(SendProgress.NONE.toBuilder().build()).isSameAs(SendProgress.NONE);
  }

  @Test
  void unionKeepsBothSidesAndReusesAnInstanceThatAlreadyHoldsEverything() {
    SendProgress ab = new SendProgress(Set.of("a", "b"));
    SendProgress bc = new SendProgress(Set.of("b", "c"));
    assertThat(ab.union(bc).keys()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(ab.union(new SendProgress(Set.of("a")))).isSameAs(ab);
    assertThat(SendProgress.NONE.union(ab)).isSameAs(ab);
  }

  @Test
  void keysBeyondTheLimitAreNotKeptAndNeverFailASend() {
    SendProgress.Builder b = SendProgress.NONE.toBuilder();
    for (int i = 0; i < SendProgress.MAX_KEYS + 10; i++) {
      b.add("k" + i);
    }
    assertThat(b.size()).isEqualTo(SendProgress.MAX_KEYS);
    SendProgress full = b.build();
    assertThat(full.contains("k0")).isTrue();
    assertThat(full.contains("k" + SendProgress.MAX_KEYS)).isFalse();
    assertThat(full.union(new SendProgress(Set.of("more"))).size())
        .isEqualTo(SendProgress.MAX_KEYS);
  }

  @Test
  void blankOrOverlongKeysAndTooManyKeysAreRefused() {
    assertThatThrownBy(() -> SendProgress.NONE.toBuilder().add(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SendProgress.NONE.toBuilder().add("x".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1..64 characters");
    Set<String> many = new HashSet<>();
    for (int i = 0; i <= SendProgress.MAX_KEYS; i++) {
      many.add("k" + i);
    }
    assertThatThrownBy(() -> new SendProgress(many))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 4096 keys");
  }

  @Test
  void toStringShowsOnlyHowManyKeys() {
    SendProgress p = new SendProgress(Set.of(SendProgress.key("secret-ish")));
    assertThat(p).hasToString("SendProgress[1 key]");
    assertThat(new SendProgress(Set.of("a", "b"))).hasToString("SendProgress[2 keys]");
  }

  @Test
  void aFailureCarriesItsProgressThroughDetailChangesAndAFirstRequestHasNone() {
    SendProgress p = new SendProgress(Set.of("a"));
    SendResult.Failed f =
        SendResult.retryable(SendResult.Reason.REMOTE_ERROR, "HTTP 503").withProgress(p);
    assertThat(f.progress()).isEqualTo(p);
    assertThat(f.withDetail("Config/x: HTTP 503").progress()).isEqualTo(p);
    assertThat(SendResult.permanent(SendResult.Reason.REJECTED, "x").progress())
        .isSameAs(SendProgress.NONE);
    assertThat(
            new SendResult.Failed(SendResult.Reason.TIMEOUT, true, Duration.ZERO, "t").progress())
        .isSameAs(SendProgress.NONE);

    Alert alert = Alert.firing(Map.of("alertname", "A"));
    Notification n =
        new Notification(
            "n-1",
            new ObjectRef("WebhookReceiver", "r"),
            Scope.GLOBAL,
            null,
            null,
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    SendRequest<ReceiverSpec, ConfigSpec> first =
        new SendRequest<>(n, new Spec(), new Spec(), Map.of(), Instant.EPOCH);
    assertThat(first.progress()).isSameAs(SendProgress.NONE);
    assertThat(first.withProgress(p).progress()).isEqualTo(p);
    assertThat(first.withProgress(p).notification()).isSameAs(n);
  }

  private record Spec() implements ReceiverSpec, ConfigSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return null;
    }
  }
}
