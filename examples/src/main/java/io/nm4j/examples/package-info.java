/**
 * The runnable nm4j examples: the {@code nm4j} command line ({@link io.nm4j.examples.Main}) with
 * its subcommands, and the {@link io.nm4j.examples.Options} parser they share.
 */
@NullMarked
package io.nm4j.examples;

import org.jspecify.annotations.NullMarked;
