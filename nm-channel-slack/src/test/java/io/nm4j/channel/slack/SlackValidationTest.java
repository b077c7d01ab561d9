package io.nm4j.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.SpecReader;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SlackValidationTest {
  private final SlackChannelProvider provider = new SlackChannelProvider();

  private static SpecReader spec(Map<String, Object> fields) {
    return SpecReader.of(fields, "kubesphere-monitoring-system");
  }

  @Test
  void configWithoutTokenIsRejected() {
    assertThat(provider.parseConfig(spec(Map.of())).errors())
        .containsExactly(
            new FieldError(
                "spec.slackTokenSecret", "is required (a secret reference {name, key})"));
  }

  @Test
  void tokenReferenceMissingBothPartsReportsBoth() {
    assertThat(provider.parseConfig(spec(Map.of("slackTokenSecret", Map.of()))).errors())
        .containsExactly(
            new FieldError("spec.slackTokenSecret.name", "is required"),
            new FieldError("spec.slackTokenSecret.key", "is required"));
  }

  @Test
  void tokenGivenAsAPlainStringIsRejectedWithoutQuotingIt() {
    assertThat(provider.parseConfig(spec(Map.of("slackTokenSecret", "xoxb-123"))).errors())
        .containsExactly(
            new FieldError(
                "spec.slackTokenSecret", "must be a secret reference {name, key}, was a string"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"#alerts", "C0123456789", "alerts"})
  void channelNamesAndIdsAreAccepted(String channel) {
    assertThat(provider.parseReceiver(spec(Map.of("channel", channel))).value().channel())
        .isEqualTo(channel);
  }

  @ParameterizedTest
  @ValueSource(strings = {"#my alerts", "#alerts\t", "#"})
  void channelThatNamesNoChannelIsRejected(String channel) {
    assertThat(provider.parseReceiver(spec(Map.of("channel", channel))).errors())
        .containsExactly(
            new FieldError(
                "spec.channel",
                "must be a channel name like #alerts or a channel ID like C0123456789, was \""
                    + channel
                    + "\""));
  }

  @Test
  void missingChannelAndBadSelectorAreReportedTogether() {
    Map<String, Object> fields =
        Map.of("slackConfigSelector", Map.of("matchLabel", Map.of("team", "a")));

    assertThat(provider.parseReceiver(spec(fields)).errors())
        .containsExactly(
            new FieldError("spec.channel", "is required"),
            new FieldError(
                "spec.slackConfigSelector.matchLabel",
                "unknown selector field; use matchLabels or matchExpressions"));
  }

  @Test
  void serviceLoaderFindsTheProvider() {
    assertThat(ServiceLoader.load(ChannelProvider.class).stream().map(p -> p.get()))
        .anySatisfy(p -> assertThat(p).isInstanceOf(SlackChannelProvider.class));
  }

  @Test
  void providerNamesItsKindsAndSelectorFieldAndOffersItsChannel() {
    assertThat(provider.name()).isEqualTo("slack");
    assertThat(provider.receiverKind()).isEqualTo("SlackReceiver");
    assertThat(provider.configKind()).isEqualTo("SlackConfig");
    assertThat(provider.selectorField()).isEqualTo("slackConfigSelector");
    assertThat(provider.channel(new ChannelContext(Map.of(), Clock.systemUTC())))
        .get()
        .isInstanceOf(SlackChannel.class);
  }
}
