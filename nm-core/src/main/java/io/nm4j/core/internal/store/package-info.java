/** The files of the directory store: names, durable writes that read back identically. */
@NullMarked
package io.nm4j.core.internal.store;

import org.jspecify.annotations.NullMarked;
