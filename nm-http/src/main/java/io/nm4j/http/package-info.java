/**
 * One factory of OkHttp clients for every HTTP channel: timeouts, proxy, TLS from secrets, basic
 * and bearer authentication and logging that never shows a secret, plus the shared mapping of HTTP
 * outcomes to {@link io.nm4j.spi.SendResult}, one request within a send's deadline ({@link
 * io.nm4j.http.HttpExchange}) and the cache of access tokens ({@link
 * io.nm4j.http.AccessTokenCache}).
 */
@NullMarked
package io.nm4j.http;

import org.jspecify.annotations.NullMarked;
