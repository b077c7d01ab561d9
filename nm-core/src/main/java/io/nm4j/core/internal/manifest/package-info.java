/**
 * Reading manifests into JDK values within the limits, refusing YAML's anchors, aliases and merge
 * keys.
 */
@NullMarked
package io.nm4j.core.internal.manifest;

import org.jspecify.annotations.NullMarked;
