/**
 * The runnable nm4j examples: the {@code nm4j} command line ({@link io.nm4j.server.Main}) with
 * its subcommands, and the {@link io.nm4j.server.Options} parser they share.
 */
@NullMarked
package io.nm4j.server;

import org.jspecify.annotations.NullMarked;
