package io.nm4j.spi;

import org.jspecify.annotations.Nullable;

/** The typed spec of a channel's receiver kind, e.g. {@code EmailReceiver}. */
public interface ReceiverSpec extends ChannelSpec {

  /**
   * The receiver's config selector ({@code emailConfigSelector}, ...); {@code null} when absent,
   * which means the default config of the kind.
   */
  @Nullable LabelSelector configSelector();
}
