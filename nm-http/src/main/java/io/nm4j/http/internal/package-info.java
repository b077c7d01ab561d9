/** Implementation details of {@code io.nm4j.http}; not an API. */
@NullMarked
package io.nm4j.http.internal;

import org.jspecify.annotations.NullMarked;
