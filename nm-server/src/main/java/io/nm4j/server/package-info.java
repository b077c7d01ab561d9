/**
 * The runnable nm4j server and command line: {@link io.nm4j.server.Nm4jServer} (Jetty, built by its
 * builder around a host's {@code NotificationManager}) and {@link io.nm4j.server.Main} ({@code nm4j
 * serve | route | validate | completion}).
 */
@NullMarked
package io.nm4j.server;

import org.jspecify.annotations.NullMarked;
