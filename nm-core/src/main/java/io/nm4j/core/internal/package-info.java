/** Implementation details of the core; not API. */
@NullMarked
package io.nm4j.core.internal;

import org.jspecify.annotations.NullMarked;
