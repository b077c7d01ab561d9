/** Implementation details of {@code io.nm4j.k8s}; not an API. */
@NullMarked
package io.nm4j.k8s.internal;

import org.jspecify.annotations.NullMarked;
