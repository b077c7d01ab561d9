/**
 * The nm4j core: {@link io.nm4j.core.NotificationManager} (the entry point), routing snapshots,
 * manifests, config sources and the Alertmanager webhook codec.
 */
@NullMarked
package io.nm4j.core;

import org.jspecify.annotations.NullMarked;
