package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.PagerChannelProvider.PagerConfig;
import io.nm4j.core.PagerChannelProvider.PagerReceiver;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.SendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ChannelContextPermitsTest {
  private final List<ChannelContext> contexts = new ArrayList<>();

  private Function<ChannelContext, Channel<PagerReceiver, PagerConfig>> recording() {
    return context -> {
      contexts.add(context);
      return request -> SendResult.delivered();
    };
  }

  private NotificationManager manager() {
    return NotificationManager.builder()
        .discoverChannels(false)
        .channel(new PagerChannelProvider("Pager", recording()))
        .channel(new PagerChannelProvider("Chat", recording()))
        .build();
  }

  @Test
  void everyChannelOfAManagerCountsEndpointsOnTheSamePermitsAndAnotherManagerOnItsOwn() {
    try (NotificationManager first = manager();
        NotificationManager second = manager()) {
      assertThat(contexts).hasSize(4);
      assertThat(contexts.get(0).permits()).isSameAs(contexts.get(1).permits());
      assertThat(contexts.get(2).permits()).isSameAs(contexts.get(3).permits());
      assertThat(contexts.get(0).permits()).isNotSameAs(contexts.get(2).permits());
    }
  }
}
