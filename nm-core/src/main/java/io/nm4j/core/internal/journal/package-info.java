/** The file journal's record framing. */
@NullMarked
package io.nm4j.core.internal.journal;

import org.jspecify.annotations.NullMarked;
