package io.nm4j.channel.email;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec of an {@code EmailReceiver}: who gets the mail, and which {@code EmailConfig} sends it.
 *
 * @param to the recipients' addresses ({@code local@domain}), at least one, in the order given
 * @param emailConfigSelector selects the config; {@code null} means the default config
 */
public record EmailReceiver(List<String> to, @Nullable LabelSelector emailConfigSelector)
    implements ReceiverSpec {

  public EmailReceiver {
    to = List.copyOf(to);
    if (to.isEmpty()) {
      throw new IllegalArgumentException("an EmailReceiver needs at least one address");
    }
  }

  @Override
  public @Nullable LabelSelector configSelector() {
    return emailConfigSelector;
  }

  /** None: a receiver names only addresses; the credentials are in its config. */
  @Override
  public Map<String, SecretKeySelector> secretRefs() {
    return Map.of();
  }
}
