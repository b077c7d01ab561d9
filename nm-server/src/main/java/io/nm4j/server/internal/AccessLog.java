package io.nm4j.server.internal;

import io.nm4j.spi.LogText;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@value #LOGGER}: method, path without the query (which may
 * carry secrets), status, bytes written, duration, caller ({@code -} when none was established) and
 * remote address. Never bodies or headers; everything taken from the request is escaped, so a path
 * cannot forge a line.
 */
final class AccessLog extends Handler.Wrapper {
  static final String LOGGER = "io.nm4j.server.access";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  AccessLog(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!log.isInfoEnabled()) {
      return super.handle(request, response, callback);
    }
    long start = System.nanoTime();
    Callback logged =
        new Callback.Nested(callback) {
          @Override
          public void completed() {
            line(request, response, start);
          }
        };
    return super.handle(request, response, logged);
  }

  private static void line(Request request, Response response, long start) {
    Object caller = request.getAttribute(Exchange.CALLER_ATTRIBUTE);
    log.info(
        "{} {} {} {}B {}ms caller={} remote={}",
        LogText.escape(request.getMethod(), 32),
        LogText.escape(Request.getPathInContext(request), 512),
        response.getStatus(),
        Response.getContentBytesWritten(response),
        (System.nanoTime() - start) / 1_000_000,
        caller == null ? "-" : LogText.escape(caller.toString(), 256),
        address(request.getConnectionMetaData().getRemoteSocketAddress()));
  }

  private static String address(SocketAddress a) {
    if (a instanceof InetSocketAddress i) {
      return LogText.escape(Exchange.addressText(i), 128);
    }
    return LogText.escape(String.valueOf(a), 128);
  }
}
