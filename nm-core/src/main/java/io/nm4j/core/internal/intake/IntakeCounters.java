package io.nm4j.core.internal.intake;

import io.nm4j.core.IntakeCounts;
import java.util.concurrent.atomic.LongAdder;

/** What intake accepted and refused since the manager started; cheap to update from any thread. */
public final class IntakeCounters {
  private final LongAdder acceptedBatches = new LongAdder();
  private final LongAdder acceptedAlerts = new LongAdder();
  private final LongAdder routedAlerts = new LongAdder();
  private final LongAdder unroutedAlerts = new LongAdder();
  private final LongAdder rejectedQueueFull = new LongAdder();
  private final LongAdder rejectedBytes = new LongAdder();
  private final LongAdder rejectedJournal = new LongAdder();
  private final LongAdder recoveredBatches = new LongAdder();

  void accepted(int alerts, int unrouted) {
    acceptedBatches.increment();
    acceptedAlerts.add(alerts);
    routedAlerts.add(alerts - unrouted);
    unroutedAlerts.add(unrouted);
  }

  void rejectedQueueFull() {
    rejectedQueueFull.increment();
  }

  void rejectedBytes() {
    rejectedBytes.increment();
  }

  void rejectedJournal() {
    rejectedJournal.increment();
  }

  void recovered() {
    recoveredBatches.increment();
  }

  /** The counts now. */
  public IntakeCounts counts() {
    return new IntakeCounts(
        acceptedBatches.sum(),
        acceptedAlerts.sum(),
        unroutedAlerts.sum(),
        rejectedQueueFull.sum(),
        rejectedBytes.sum(),
        rejectedJournal.sum(),
        recoveredBatches.sum(),
        routedAlerts.sum());
  }
}
