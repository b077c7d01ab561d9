package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelRegistryTest {

  @Test
  void twoProvidersForOneKindFailLoudlyNamingBoth() {
    assertThatThrownBy(
            () ->
                ChannelRegistry.of(List.of(new PagerChannelProvider(), new PagerChannelProvider())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two channel providers claim the channel name \"pager\"")
        .hasMessageContaining(PagerChannelProvider.class.getName());
  }

  @Test
  void explicitRegistrationWorksWithoutDiscovery() {
    ChannelRegistry r =
        ChannelRegistry.discover(
            new ClassLoader(null) {},
            List.of(new PagerChannelProvider(), new PagerChannelProvider("Chat")));
    assertThat(r.kinds())
        .containsExactly("ChatConfig", "ChatReceiver", "PagerConfig", "PagerReceiver");
    assertThat(r.forReceiverKind("PagerReceiver")).isNotNull();
    assertThat(r.forConfigKind("PagerReceiver")).isNull();
  }

  @Test
  void managerWithoutDiscoveryKnowsOnlyExplicitChannels() {
    try (NotificationManager nm =
        NotificationManager.builder()
            .discoverChannels(false)
            .channel(new PagerChannelProvider())
            .build()) {
      assertThat(nm.channels().kinds()).containsExactly("PagerConfig", "PagerReceiver");
    }
  }
}
