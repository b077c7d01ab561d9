package io.nm4j.core.internal.v2beta2;

import io.nm4j.spi.ObjectRef;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a v2beta2 receiver block decides about each alert routed to it, after routing: whether the
 * block is enabled and whether its {@code alertSelector} keeps the alert.
 *
 * @param object the {@code Receiver} that decides
 * @param enabled the block's {@code enabled}
 * @param alertSelector its {@code alertSelector}; {@code null} keeps every alert
 */
public record ReceiverFilter(
    ObjectRef object, boolean enabled, @Nullable AlertMatcher alertSelector) {

  /** Whether the alert's labels pass the {@code alertSelector}. */
  public boolean keeps(Map<String, String> labels) {
    return alertSelector == null || alertSelector.matches(labels);
  }

  /** The {@code alertSelector} as written, for explanations. */
  public String selectorText() {
    return alertSelector == null ? "{}" : alertSelector.toString();
  }
}
