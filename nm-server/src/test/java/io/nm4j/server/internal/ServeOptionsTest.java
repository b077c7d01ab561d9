package io.nm4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code serve} reads its options: repeated, comma-separated, from NM4J_* variables. */
class ServeOptionsTest {
  private static ServeCommand parse(Map<String, String> environment, String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .setDefaultValueProvider(new EnvironmentDefaults(environment))
        .parseArgs(args);
    return serve;
  }

  @Test
  void aRepeatedChannelOptionKeepsEveryValueAndEachMayHoldSeveral() {
    ServeCommand serve =
        parse(
            Map.of(),
            "--channel-option",
            "slack.apiUrl=http://127.0.0.1:1/api/",
            "--channel-option",
            "dingtalk.apiUrl=http://127.0.0.1:2/,wechat.apiUrl=http://127.0.0.1:3/");

    assertThat(serve.channelOptions)
        .containsExactly(
            "slack.apiUrl=http://127.0.0.1:1/api/",
            "dingtalk.apiUrl=http://127.0.0.1:2/",
            "wechat.apiUrl=http://127.0.0.1:3/");
  }

  @Test
  void everyServeOptionDefaultsToItsNm4jVariable() {
    ServeCommand serve =
        parse(
            Map.of(
                "NM4J_MAX_IN_FLIGHT", "8",
                "NM4J_KUBERNETES", "true",
                "NM4J_LISTEN", "0.0.0.0:19093",
                "NM4J_CHANNEL_OPTION", "slack.apiUrl=http://a/,dingtalk.apiUrl=http://b/",
                "NM4J_DRAIN_TIMEOUT", "2s",
                "NM4J_NAMESPACE", "monitoring"));

    assertThat(serve.kubernetes).isTrue();
    assertThat(serve.channels.namespace()).isEqualTo("monitoring");
    assertThat(serve.listen).isEqualTo("0.0.0.0:19093");
    assertThat(serve.channelOptions)
        .containsExactly("slack.apiUrl=http://a/", "dingtalk.apiUrl=http://b/");
    assertThat(serve.deliveryOptions().maxInFlightPerReceiver()).isEqualTo(8);
    assertThat(serve.deliveryOptions().drainTimeout()).hasSeconds(2);
  }

  @Test
  void theEgressRangesAreRepeatableAndDefaultToTheirVariables() {
    ServeCommand serve =
        parse(
            Map.of(
                "NM4J_EGRESS_DENY", "10.0.0.0/8,192.168.0.0/16",
                "NM4J_ADMIN_EGRESS_DENY", "169.254.0.0/16"),
            "--egress-allow",
            "10.20.0.0/16",
            "--egress-allow",
            "10.30.0.0/16,fd00:1::/64");

    assertThat(serve.egressDeny).containsExactly("10.0.0.0/8", "192.168.0.0/16");
    assertThat(serve.egressAllow).containsExactly("10.20.0.0/16", "10.30.0.0/16", "fd00:1::/64");
    assertThat(serve.adminEgressDeny).containsExactly("169.254.0.0/16");
  }

  @Test
  void anOptionOnTheCommandLineWinsOverItsVariable() {
    ServeCommand serve = parse(Map.of("NM4J_MAX_IN_FLIGHT", "8"), "--max-in-flight", "2");

    assertThat(serve.deliveryOptions().maxInFlightPerReceiver()).isEqualTo(2);
  }
}
