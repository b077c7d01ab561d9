package io.nm4j.server.internal;

import io.nm4j.core.admin.Caller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.jspecify.annotations.Nullable;

/**
 * One request being answered on Jetty's core API: reads the body within a size limit while it
 * streams, and writes exactly one reply. A reply sent before the body was read to its end (a 413, a
 * 401 to a large post) drains what the client still sends, up to a bound, so it reads the answer
 * instead of a reset connection; past the bound the connection is closed.
 */
public final class Exchange {
  /**
   * Largest declared body read into an array of its size before it arrives. A sender may declare a
   * length and send nothing: beyond this, the buffer grows with what actually comes.
   */
  private static final int MAX_PREALLOCATED = 256 * 1024;

  /** The request attribute naming the authenticated caller, for the access log. */
  static final String CALLER_ATTRIBUTE = "io.nm4j.server.caller";

  private final Request request;
  private final Response response;
  private final Callback callback;
  private boolean bodyRead;
  // Never closed: closing fails the request's content, and a drain may still have to read it.
  private @Nullable InputStream content;
  private long drainLimit = 1024 * 1024;

  public Exchange(Request request, Response response, Callback callback) {
    this.request = request;
    this.response = response;
    this.callback = callback;
  }

  public String method() {
    return request.getMethod();
  }

  /** The decoded path, without the query. */
  public String path() {
    return Request.getPathInContext(request);
  }

  public @Nullable String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Every value of a header (case-insensitive name), empty when absent. */
  public List<String> headers(String name) {
    return request.getHeaders().getValuesList(name);
  }

  /** The query parameters, decoded, in order; a repeated name keeps its last value. */
  public Map<String, String> query() {
    Map<String, String> out = new LinkedHashMap<>();
    Fields fields = Request.extractQueryParameters(request);
    for (Fields.Field f : fields) {
      List<String> values = f.getValues();
      out.put(f.getName(), values.isEmpty() ? "" : values.get(values.size() - 1));
    }
    return out;
  }

  public @Nullable InetSocketAddress remote() {
    return request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
        ? a
        : null;
  }

  /**
   * An address as logs and audit lines show it: {@code 10.1.2.3:51234}, {@code [::1]:51234}; {@code
   * -} when unknown.
   */
  public static String addressText(@Nullable InetSocketAddress a) {
    if (a == null) {
      return "-";
    }
    if (a.getAddress() == null) {
      return a.getHostString() + ":" + a.getPort();
    }
    String host = a.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Whether the client connected from this host. */
  public boolean fromLoopback() {
    InetSocketAddress a = remote();
    return a != null && a.getAddress() != null && a.getAddress().isLoopbackAddress();
  }

  /** The listener's timer. */
  public org.eclipse.jetty.util.thread.Scheduler scheduler() {
    return request.getComponents().getScheduler();
  }

  /** Records who called, for the access log line. */
  public void caller(Caller caller) {
    request.setAttribute(CALLER_ATTRIBUTE, caller.user());
  }

  /**
   * The whole body, at most {@code limit} bytes; checked while it streams, so a large body is never
   * held.
   *
   * @throws HttpError 413 above the limit, 400 for a bad {@code Content-Length}, 408 when the
   *     request's deadline passed while reading
   */
  public byte[] body(int limit) {
    drainLimit = Math.max(drainLimit, 2L * limit);
    String length = header("Content-Length");
    long declared = -1;
    if (length != null) {
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException e) {
        throw HttpError.badRequest("bad Content-Length");
      }
      if (declared > limit) {
        throw tooLarge(limit);
      }
    }
    int expected = (int) declared;
    byte[] body =
        Deadlines.reading(
            request,
            () ->
                expected >= 0 && expected <= MAX_PREALLOCATED
                    ? readDeclared(expected)
                    : readUpTo(limit));
    bodyRead = true;
    return body;
  }

  /**
   * A body of a declared length, read into an array of that size: growing a buffer from nothing and
   * copying it out showed in the intake's profile. The server ends the content at the declared
   * length, so nothing follows it; a shorter body is returned as it came.
   */
  private byte[] readDeclared(int length) {
    try {
      byte[] body = new byte[length];
      int read = content().readNBytes(body, 0, length);
      return read == length ? body : Arrays.copyOf(body, read);
    } catch (IOException e) {
      throw readFailure(e);
    }
  }

  private byte[] readUpTo(int limit) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      InputStream in = content();
      byte[] buf = new byte[16 * 1024];
      int r;
      while ((r = in.read(buf)) != -1) {
        if (out.size() + r > limit) {
          throw tooLarge(limit);
        }
        out.write(buf, 0, r);
      }
    } catch (IOException e) {
      throw readFailure(e);
    }
    return out.toByteArray();
  }

  private InputStream content() {
    if (content == null) {
      content = Content.Source.asInputStream(request);
    }
    return content;
  }

  private static HttpError tooLarge(int limit) {
    return HttpError.of(413, "RequestEntityTooLarge", "body larger than " + limit + " bytes");
  }

  private static HttpError readFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TimeoutException) {
        return HttpError.of(408, "Timeout", "the request was not received in time");
      }
    }
    return HttpError.badRequest("cannot read the body: " + e.getMessage());
  }

  /** Replies {@code status} with {@code body} of {@code contentType} and completes the request. */
  public void reply(int status, String contentType, byte[] body, Map<String, String> headers) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    headers.forEach((name, value) -> response.getHeaders().put(name, value));
    if (bodyRead || !hasBody()) {
      response.write(true, ByteBuffer.wrap(body), callback);
      return;
    }
    // The client may still be sending: answer first, then read what follows (bounded), so the
    // answer is not lost in a reset; the connection is not reused either way.
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    try (Blocker.Callback written = Blocker.callback()) {
      response.write(true, ByteBuffer.wrap(body), written);
      written.block();
    } catch (IOException e) {
      callback.failed(e);
      return;
    }
    Deadlines.reading(request, this::drain);
    callback.succeeded();
  }

  private boolean hasBody() {
    HttpField te = request.getHeaders().getField(HttpHeader.TRANSFER_ENCODING);
    if (te != null) {
      return true;
    }
    String length = header("Content-Length");
    return length != null && !length.strip().equals("0");
  }

  private @Nullable Void drain() {
    long left = drainLimit;
    try {
      InputStream in = content();
      byte[] buf = new byte[64 * 1024];
      int r;
      while (left > 0 && (r = in.read(buf)) != -1) {
        left -= r;
      }
    } catch (IOException e) {
      // the client went away or the deadline passed: the connection closes anyway
    }
    return null;
  }

  /** Fails the request: Jetty answers 500 if nothing was written, else aborts the connection. */
  public void abort(Throwable failure) {
    callback.failed(failure);
  }
}
