package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SendTargetsTest {
  private final List<String> posted = new ArrayList<>();

  private static SendRequest<Spec, Spec> request(SendProgress progress) {
    List<Alert> alerts = List.of(Alert.firing(Map.of("alertname", "Up")));
    Notification n =
        new Notification(
            "n-1",
            new ObjectRef("BotReceiver", "r"),
            Scope.GLOBAL,
            null,
            new ObjectRef("BotConfig", "c"),
            alerts,
            AlertBatch.of(alerts));
    return new SendRequest<>(n, new Spec(), new Spec(), Map.of(), Instant.EPOCH)
        .withProgress(progress);
  }

  private SendResult post(String target, String message, SendResult.@Nullable Failed failure) {
    if (failure != null && message.equals("b")) {
      return failure;
    }
    posted.add(target + ":" + message);
    return SendResult.delivered();
  }

  private SendResult send(SendProgress progress, SendResult.@Nullable Failed botFailure) {
    SendTargets targets = SendTargets.of(request(progress), "BotConfig/c");
    targets.send("bot", "bot-1", List.of("a", "b", "c"), List::of, m -> post("bot", m, botFailure));
    targets.send("app", "app-1", List.of("a"), List::of, m -> post("app", m, null));
    return targets.result();
  }

  @Test
  void aTargetFailingPartWayStopsThereTheOthersAreTriedAndTheRetrySendsOnlyTheRest() {
    SendResult first =
        send(
            SendProgress.NONE,
            SendResult.retryAfter(SendResult.Reason.RATE_LIMITED, Duration.ofSeconds(9), "slow"));

    assertThat(posted).containsExactly("bot:a", "app:a");
    SendResult.Failed failed = (SendResult.Failed) first;
    assertThat(failed.reason()).isEqualTo(SendResult.Reason.RATE_LIMITED);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(9));
    assertThat(failed.detail())
        .isEqualTo("BotConfig/c: bot failed: slow (part 2 of 3; 1 delivered); app delivered");

    posted.clear();
    SendResult retried = send(failed.progress(), null);

    assertThat(posted).containsExactly("bot:b", "bot:c");
    assertThat(retried).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) retried).detail())
        .isEqualTo(
            "BotConfig/c: bot delivered (3 parts, 1 on an earlier attempt); app delivered on an"
                + " earlier attempt");
  }

  @Test
  void aTargetThatFailedForGoodIsNotTriedAgainAndAMissingOneIsReported() {
    SendResult first =
        send(SendProgress.NONE, SendResult.permanent(SendResult.Reason.REJECTED, "bad"));
    posted.clear();
    SendTargets again =
        SendTargets.of(request(((SendResult.Failed) first).progress()), "BotConfig/c");
    again.send("bot", "bot-1", List.of("a", "b", "c"), List::of, m -> post("bot", m, null));
    again.fail("app", SendResult.permanent(SendResult.Reason.MISSING_SECRET, "no secret"));

    SendResult.Failed failed = (SendResult.Failed) again.result();

    assertThat(posted).isEmpty();
    assertThat(failed.retryable()).isFalse();
    assertThat(failed.detail())
        .isEqualTo(
            "BotConfig/c: bot failed on an earlier attempt: REJECTED, not tried again; app"
                + " failed: no secret");
  }

  private record Spec() implements ReceiverSpec, ConfigSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return null;
    }
  }
}
