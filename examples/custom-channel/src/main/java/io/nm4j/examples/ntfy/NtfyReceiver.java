package io.nm4j.examples.ntfy;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The spec of an {@code NtfyReceiver}: the topic its notifications are published to.
 *
 * @param topic the ntfy topic, letters, digits, {@code -} and {@code _}, at most 64
 * @param priority ntfy's priority ({@code min}, {@code low}, {@code default}, {@code high}, {@code
 *     max} or {@code urgent}); {@code null} leaves it to the server
 * @param tags ntfy tags added to every message (emoji short codes such as {@code warning} show as
 *     emoji)
 * @param ntfyConfigSelector selects the config; {@code null} means the default {@code NtfyConfig}
 */
public record NtfyReceiver(
    String topic,
    @Nullable String priority,
    List<String> tags,
    @Nullable LabelSelector ntfyConfigSelector)
    implements ReceiverSpec {

  public NtfyReceiver {
    Objects.requireNonNull(topic, "topic");
    tags = List.copyOf(tags);
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return ntfyConfigSelector;
  }
}
