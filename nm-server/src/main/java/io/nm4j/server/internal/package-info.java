/** The subcommands of the {@code nm4j} command line and what they share. */
@NullMarked
package io.nm4j.server.internal;

import org.jspecify.annotations.NullMarked;
