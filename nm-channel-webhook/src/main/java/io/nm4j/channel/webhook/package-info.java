/**
 * The webhook channel: {@code WebhookReceiver} and {@code WebhookConfig} of {@code
 * notification.kubesphere.io/v1alpha1}, and a channel that POSTs Alertmanager's webhook (version 4)
 * JSON to the config's URL or Kubernetes service.
 */
@NullMarked
package io.nm4j.channel.webhook;

import org.jspecify.annotations.NullMarked;
