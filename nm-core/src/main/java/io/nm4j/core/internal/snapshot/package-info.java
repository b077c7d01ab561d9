/**
 * The steps of building a routing snapshot: parsing objects, reading secrets and settings, sorting
 * configs by owner, resolving each receiver's config, and indexing receivers by namespace.
 */
@NullMarked
package io.nm4j.core.internal.snapshot;

import org.jspecify.annotations.NullMarked;
