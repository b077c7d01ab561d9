package io.nm4j.channel.webhook;

import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import org.jspecify.annotations.Nullable;

/**
 * The spec of a {@code WebhookReceiver}.
 *
 * @param webhookConfigSelector which {@code WebhookConfig}s it uses; {@code null} for the default
 */
public record WebhookReceiver(@Nullable LabelSelector webhookConfigSelector)
    implements ReceiverSpec {

  @Override
  public @Nullable LabelSelector configSelector() {
    return webhookConfigSelector;
  }
}
