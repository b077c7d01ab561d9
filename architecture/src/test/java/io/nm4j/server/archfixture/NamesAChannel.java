package io.nm4j.server.archfixture;

import io.nm4j.channel.slack.SlackChannelProvider;
import io.nm4j.spi.ChannelProvider;

/** Breaks the boundary: server code that names a channel's class. */
public final class NamesAChannel {
  public ChannelProvider<?, ?> provider() {
    return new SlackChannelProvider();
  }
}
