package io.nm4j.channel.webhook.internal;

import com.fasterxml.jackson.core.io.SerializedString;
import io.nm4j.spi.Alert;
import java.util.function.Function;

/**
 * Each alert's JSON rendered once for the notifications that carry it. A batch's alerts reach the
 * global receivers and the tenant's receivers as the same {@link Alert} objects, and their JSON
 * does not depend on the receiver: rendering it again per receiver was the largest part of a
 * webhook send in the load harness's profile.
 *
 * <p>A fixed table of slots chosen by the alert's identity hash, each holding the last alert
 * rendered there: lookups take no lock and the memory is bounded ({@value #SLOTS} alerts and their
 * JSON at most), at the price of rendering again an alert whose slot another took meanwhile. Alerts
 * are immutable, so a kept rendering never goes stale. Slots are written without synchronization:
 * an entry's fields are final, so a thread sees a whole entry or an older one (or none) and then
 * renders the alert itself.
 */
final class RenderedAlerts {
  static final int SLOTS = 4096;

  private record Entry(Alert alert, SerializedString json) {}

  private final Entry[] slots = new Entry[SLOTS];
  private final Function<Alert, SerializedString> render;

  RenderedAlerts(Function<Alert, SerializedString> render) {
    this.render = render;
  }

  SerializedString of(Alert alert) {
    int slot = System.identityHashCode(alert) & (SLOTS - 1);
    Entry kept = slots[slot];
    if (kept != null && kept.alert == alert) {
      return kept.json;
    }
    SerializedString json = render.apply(alert);
    slots[slot] = new Entry(alert, json);
    return json;
  }
}
