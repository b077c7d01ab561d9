/**
 * JMH benchmarks of routing and snapshot building on a large synthetic configuration ({@link
 * io.nm4j.benchmarks.SyntheticConfig}), and {@link io.nm4j.benchmarks.SnapshotHeap}, which measures
 * the heap a snapshot retains.
 */
@NullMarked
package io.nm4j.benchmarks;

import org.jspecify.annotations.NullMarked;
