/**
 * One factory of OkHttp clients for every HTTP channel: timeouts, proxy, TLS from secrets, basic
 * and bearer authentication and logging that never shows a secret, plus the shared mapping of HTTP
 * outcomes to {@link io.nm4j.spi.SendResult}.
 */
@NullMarked
package io.nm4j.http;

import org.jspecify.annotations.NullMarked;
