package io.nm4j.channel.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.SpecReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The feishu block of notification-manager's v2beta2 Receiver: which blocks need a Config. */
class FeishuBlockTest {
  private final FeishuChannelProvider provider = new FeishuChannelProvider();
  private final Map<String, Object> robot =
      Map.of("webhook", Map.of("name", "robot", "key", "webhook"));

  @Test
  void aBlockNamingOnlyItsRobotIsItsOwnConfigWithoutAnApp() {
    FeishuConfig own =
        provider
            .receiverBlockConfig(
                SpecReader.at(
                    Map.of("chatbot", robot), "spec.feishu", "kubesphere-monitoring-system"))
            .orElseThrow()
            .value();

    assertThat(own).isEqualTo(new FeishuConfig(null, null));
    assertThat(own.secretRefs()).isEmpty();
  }

  @Test
  void aBlockNamingUsersOrDepartmentsSelectsTheConfigHoldingTheApp() {
    for (String field : List.of("user", "department")) {
      assertThat(
              provider.receiverBlockConfig(
                  SpecReader.at(
                      Map.of("chatbot", robot, field, List.of("ou_1")),
                      "spec.feishu",
                      "kubesphere-monitoring-system")))
          .as(field)
          .isEmpty();
    }
  }
}
