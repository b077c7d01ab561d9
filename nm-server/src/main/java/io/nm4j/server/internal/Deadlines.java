package io.nm4j.server.internal;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The two time limits Jetty's idle timeout does not give: a new connection must have sent a
 * complete request header within the header timeout (else it is closed, so a client that sends
 * {@code GE} and waits holds nothing for long), and a request's body must have arrived within the
 * request timeout of its header (else reading it fails and the request is answered 408), so a body
 * trickled a byte at a time cannot hold a request thread for ever.
 */
final class Deadlines extends Handler.Wrapper implements Connection.Listener {
  private static final String ATTRIBUTE = "io.nm4j.server.deadline";

  private final Scheduler scheduler;
  private final Duration headerTimeout;
  private final Duration requestTimeout;
  // Network connections (by remote address) on which a request header has been read.
  private final Set<SocketAddress> served = ConcurrentHashMap.newKeySet();

  Deadlines(Handler handler, Scheduler scheduler, Duration headerTimeout, Duration requestTimeout) {
    super(handler);
    this.scheduler = scheduler;
    this.headerTimeout = headerTimeout;
    this.requestTimeout = requestTimeout;
  }

  @Override
  public void onOpened(Connection connection) {
    // The connection on the socket: the TLS connection, or the HTTP one without TLS.
    if (connection.getEndPoint() instanceof SocketChannelEndPoint endPoint) {
      scheduler.schedule(
          () -> closeIfNoRequest(endPoint), headerTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void onClosed(Connection connection) {
    if (connection.getEndPoint() instanceof SocketChannelEndPoint endPoint) {
      served.remove(endPoint.getRemoteSocketAddress());
    }
  }

  private void closeIfNoRequest(EndPoint endPoint) {
    if (endPoint.isOpen() && !served.contains(endPoint.getRemoteSocketAddress())) {
      endPoint.close(new TimeoutException("no request header within " + headerTimeout));
    }
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    served.add(request.getConnectionMetaData().getRemoteSocketAddress());
    request.setAttribute(ATTRIBUTE, System.nanoTime() + requestTimeout.toNanos());
    return super.handle(request, response, callback);
  }

  /**
   * Runs {@code read} (blocking reads of the request's content) so that it fails with a {@link
   * TimeoutException} once the request's deadline has passed.
   */
  static <T> T reading(Request request, Supplier<T> read) {
    if (!(request.getAttribute(ATTRIBUTE) instanceof Long deadline)) {
      return read.get();
    }
    long left = Math.max(0, deadline - System.nanoTime());
    Scheduler.Task task =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                () -> request.fail(new TimeoutException("request not received in time")),
                left,
                TimeUnit.NANOSECONDS);
    try {
      return read.get();
    } finally {
      task.cancel();
    }
  }
}
