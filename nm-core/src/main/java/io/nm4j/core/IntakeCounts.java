package io.nm4j.core;

/**
 * What intake accepted and refused since the manager started, at one moment.
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
public record IntakeCounts(
    long acceptedBatches,
    long acceptedAlerts,
    long unroutedAlerts,
    long rejectedQueueFull,
    long rejectedBytes,
    long rejectedJournal,
    long recoveredBatches,
    long routedAlerts) {}
