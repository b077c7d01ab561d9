package io.nm4j.core;

import java.util.concurrent.atomic.LongAdder;

/** What intake accepted and refused since the manager started; cheap to update from any thread. */
public final class IntakeCounters {
  final LongAdder acceptedBatches = new LongAdder();
  final LongAdder acceptedAlerts = new LongAdder();
  final LongAdder routedAlerts = new LongAdder();
  final LongAdder unroutedAlerts = new LongAdder();
  final LongAdder rejectedFull = new LongAdder();
  final LongAdder rejectedBytes = new LongAdder();
  final LongAdder rejectedJournal = new LongAdder();
  final LongAdder recovered = new LongAdder();

  IntakeCounters() {}

  void accepted(int alerts, int unrouted) {
    acceptedBatches.increment();
    acceptedAlerts.add(alerts);
    routedAlerts.add(alerts - unrouted);
    unroutedAlerts.add(unrouted);
  }

  Snapshot snapshot() {
    return new Snapshot(
        acceptedBatches.sum(),
        acceptedAlerts.sum(),
        unroutedAlerts.sum(),
        rejectedFull.sum(),
        rejectedBytes.sum(),
        rejectedJournal.sum(),
        recovered.sum(),
        routedAlerts.sum());
  }

  /**
   * The counts at one moment.
   *
   * @param acceptedBatches batches answered "accepted" (not counting duplicates)
   * @param acceptedAlerts alerts in them
   * @param unroutedAlerts alerts of accepted batches that reach no receiver
   * @param rejectedQueueFull batches refused because the delivery queues were full
   * @param rejectedBytes batches refused because accepted, undelivered batches hold too many bytes
   * @param rejectedJournal batches refused because the journal could not store them
   * @param recoveredBatches unfinished batches taken over from the journal at start
   * @param routedAlerts alerts of accepted batches that reach at least one receiver
   */
  public record Snapshot(
      long acceptedBatches,
      long acceptedAlerts,
      long unroutedAlerts,
      long rejectedQueueFull,
      long rejectedBytes,
      long rejectedJournal,
      long recoveredBatches,
      long routedAlerts) {}
}
