package io.nm4j.http.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each exchange at DEBUG: method, redacted URL, status and time. Never headers (they carry
 * credentials), never bodies, never a query.
 */
public final class LoggingInterceptor implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger("io.nm4j.http");

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!LOG.isDebugEnabled()) {
      return chain.proceed(request);
    }
    String target = request.method() + " " + Redaction.url(request);
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      LOG.debug(
          "{} -> HTTP {} ({} ms)",
          target,
          response.code(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return response;
    } catch (IOException e) {
      LOG.debug(
          "{} failed: {}: {} ({} ms)",
          target,
          e.getClass().getSimpleName(),
          Redaction.message(e.getMessage(), request),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      throw e;
    }
  }
}
