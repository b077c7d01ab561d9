/**
 * The end-to-end load harness: Alertmanager to a counting sink, Alertmanager through nm4j to the
 * sink, and alerts posted straight to nm4j's intake. Everything listens on 127.0.0.1.
 */
@NullMarked
package io.nm4j.benchmarks.load;

import org.jspecify.annotations.NullMarked;
