package io.nm4j.channel.webhook.internal;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Each alert's JSON rendered once for the notifications that carry it, and the common labels and
 * annotations of a batch's alerts once for the notifications that carry all of them. A batch's
 * alerts reach the global receivers and the tenant's receivers as the same {@link Alert} objects of
 * the same {@link AlertBatch}, and an alert's JSON does not depend on the receiver: rendering it
 * again per receiver was the largest part of a webhook send in the load harness's profile.
 *
 * <p>Renderings are kept per batch for as long as the batch is alive, which its notifications keep
 * it while they wait, however late a receiver's turn comes (a receiver every group reaches can be
 * hundreds of batches behind the tenants' ones): the batch is held weakly, and its renderings go
 * with it. They add to each waiting batch about the size of its alerts' JSON.
 *
 * <p>When every receiver gets the whole batch (Alertmanager groups by namespace, so the global
 * receivers and the tenant's receivers all do), their bodies' common pairs are the same too, and
 * were computed over all the batch's alerts once per receiver.
 */
final class RenderedAlerts {
  private final ConcurrentHashMap<BatchKey, Kept> byBatch = new ConcurrentHashMap<>();
  private final ReferenceQueue<AlertBatch> collected = new ReferenceQueue<>();
  private final Function<List<Alert>, RawJson[]> render;
  private final Function<List<Alert>, CommonPairs> common;

  /**
   * @param render the JSON of each of a list of alerts, in its order
   * @param common the JSON of the labels and the annotations a list of alerts has in common
   */
  RenderedAlerts(
      Function<List<Alert>, RawJson[]> render, Function<List<Alert>, CommonPairs> common) {
    this.render = render;
    this.common = common;
  }

  /** The JSON objects of the labels and of the annotations every alert of a list has alike. */
  record CommonPairs(RawJson labels, RawJson annotations) {}

  /** What is kept of one batch: its alerts' JSON, and the common pairs of all of them. */
  private static final class Kept {
    final AtomicReferenceArray<RawJson> alerts;

    /** Null until a notification carrying the whole batch is rendered; two may compute it. */
    volatile @Nullable CommonPairs ofAll;

    Kept(int alerts) {
      this.alerts = new AtomicReferenceArray<>(alerts);
    }
  }

  /**
   * The common pairs of {@code alerts}: kept from another notification of {@code batch} when they
   * are all the batch's alerts in its order, computed now otherwise.
   */
  CommonPairs commonOf(AlertBatch batch, List<Alert> alerts) {
    forgetCollected();
    if (!areAll(batch.alerts(), alerts)) {
      return common.apply(alerts);
    }
    Kept kept =
        byBatch.computeIfAbsent(
            new BatchKey(batch, collected), k -> new Kept(batch.alerts().size()));
    CommonPairs pairs = kept.ofAll;
    if (pairs == null) {
      pairs = common.apply(alerts);
      kept.ofAll = pairs;
    }
    return pairs;
  }

  private static boolean areAll(List<Alert> all, List<Alert> alerts) {
    if (all.size() != alerts.size()) {
      return false;
    }
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i) != alerts.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The JSON of each of {@code alerts}, rendered now or kept from another notification of {@code
   * batch}. Alerts that are not the batch's own in its order (a notification built by hand) are
   * rendered each time.
   */
  RawJson[] of(AlertBatch batch, List<Alert> alerts) {
    forgetCollected();
    int[] positions = positions(batch.alerts(), alerts);
    if (positions == null) {
      return render.apply(alerts);
    }
    AtomicReferenceArray<RawJson> kept =
        byBatch.computeIfAbsent(
                new BatchKey(batch, collected), k -> new Kept(batch.alerts().size()))
            .alerts;
    RawJson[] out = new RawJson[alerts.size()];
    List<Alert> missing = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      out[i] = kept.get(positions[i]);
      if (out[i] == null) {
        missing.add(alerts.get(i));
      }
    }
    if (missing.isEmpty()) {
      return out;
    }
    // rendered together, by one generator; two receivers may render an alert at once, alike
    RawJson[] rendered = render.apply(missing);
    for (int i = 0, m = 0; i < out.length; i++) {
      if (out[i] == null) {
        out[i] = rendered[m++];
        kept.set(positions[i], out[i]);
      }
    }
    return out;
  }

  /** Batches whose renderings are kept now, collected ones included until the next call. */
  int batches() {
    forgetCollected();
    return byBatch.size();
  }

  /** Where each of {@code alerts} is in {@code all}, or null when they are not a subsequence. */
  private static int @Nullable [] positions(List<Alert> all, List<Alert> alerts) {
    int[] positions = new int[alerts.size()];
    int j = 0;
    for (int i = 0; i < positions.length; i++) {
      Alert a = alerts.get(i);
      while (j < all.size() && all.get(j) != a) {
        j++;
      }
      if (j == all.size()) {
        return null;
      }
      positions[i] = j++;
    }
    return positions;
  }

  private void forgetCollected() {
    for (Reference<? extends AlertBatch> r; (r = collected.poll()) != null; ) {
      byBatch.remove(r);
    }
  }

  /** A batch by identity, held weakly. */
  private static final class BatchKey extends WeakReference<AlertBatch> {
    private final int hash;

    BatchKey(AlertBatch batch, ReferenceQueue<AlertBatch> queue) {
      super(batch, queue);
      this.hash = System.identityHashCode(batch);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      AlertBatch batch = get();
      return o instanceof BatchKey other && batch != null && batch == other.get();
    }
  }
}
