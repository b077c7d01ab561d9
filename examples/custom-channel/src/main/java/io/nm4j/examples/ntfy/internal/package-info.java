/** The ntfy channel's details: its kinds' descriptions, the message it renders, its HTTP post. */
@NullMarked
package io.nm4j.examples.ntfy.internal;

import org.jspecify.annotations.NullMarked;
