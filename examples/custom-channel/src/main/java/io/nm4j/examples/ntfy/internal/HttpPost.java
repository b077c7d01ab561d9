package io.nm4j.examples.ntfy.internal;

import io.nm4j.spi.EgressPolicy;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 {@code POST} on a connection of its own, over a socket of the send's {@link
 * EgressPolicy}.
 *
 * <p>Why not {@code java.net.http.HttpClient}: it takes no socket factory, so on Java 17 nothing
 * could check the address it actually connects to after DNS, which is where the SPI asks a channel
 * to enforce the policy. A channel that may depend on OkHttp gets all of this from {@code nm-http};
 * this example stays on {@code nm-spi} alone, and a publish is one small request whose reply only
 * needs its status, one header and a bounded excerpt of its body.
 *
 * <p>Every wait is bounded by the deadline: the connect, the TLS handshake and each read get the
 * time left, and a read past the deadline fails with {@link SocketTimeoutException}. The name is
 * resolved before that (the JDK's resolver takes no timeout).
 */
public final class HttpPost {
  /** Most of a reply's body kept, for the detail of a failure. */
  static final int MAX_BODY_BYTES = 16 * 1024;

  private static final int MAX_HEAD_BYTES = 64 * 1024;

  /**
   * A reply.
   *
   * @param status the status code
   * @param headers header values by lower-case name (the last of repeated ones)
   * @param body the start of the body, at most {@value #MAX_BODY_BYTES} bytes, as UTF-8
   */
  public record Reply(int status, Map<String, String> headers, String body) {
    public Reply {
      headers = Map.copyOf(headers);
    }

    public @Nullable String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final SSLSocketFactory tls;
  private final Clock clock;

  /**
   * @param tls the TLS sockets layered on the checked plain ones (the JVM's trust store unless a
   *     host gives its own)
   * @param clock the channel's clock, against which deadlines are measured
   */
  public HttpPost(SSLSocketFactory tls, Clock clock) {
    this.tls = tls;
    this.clock = clock;
  }

  /**
   * Posts {@code body} to {@code url} with {@code headers} (which must not hold line breaks).
   *
   * @throws SocketTimeoutException when the deadline passes first
   * @throws io.nm4j.spi.EgressDeniedException when the policy refuses the resolved address
   * @throws IOException when the connection, TLS or the reply fails
   */
  public Reply post(
      URI url, Map<String, String> headers, byte[] body, EgressPolicy egress, Instant deadline)
      throws IOException {
    boolean https = url.getScheme().equalsIgnoreCase("https");
    // An IPv6 literal's host is "[::1]" in a URI and in the Host header, "::1" to connect.
    String authorityHost = url.getHost();
    String host =
        authorityHost.startsWith("[")
            ? authorityHost.substring(1, authorityHost.length() - 1)
            : authorityHost;
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    Socket socket = egress.socketFactory().createSocket();
    try {
      // The guarded socket checks the address the name resolved to before connecting.
      socket.connect(new InetSocketAddress(host, port), millisLeft(deadline));
      if (https) {
        socket = handshake(socket, host, port, deadline);
      }
      write(socket.getOutputStream(), url, authorityHost, port, https, headers, body);
      return read(socket, deadline);
    } finally {
      socket.close();
    }
  }

  private Socket handshake(Socket plain, String host, int port, Instant deadline)
      throws IOException {
    SSLSocket ssl = (SSLSocket) tls.createSocket(plain, host, port, true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(millisLeft(deadline));
    ssl.startHandshake();
    return ssl;
  }

  private static void write(
      OutputStream out,
      URI url,
      String authorityHost,
      int port,
      boolean https,
      Map<String, String> headers,
      byte[] body)
      throws IOException {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    boolean defaultPort = port == (https ? 443 : 80);
    StringBuilder head = new StringBuilder();
    head.append("POST ").append(path).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(authorityHost);
    head.append(defaultPort ? "" : ":" + port).append("\r\n");
    for (Map.Entry<String, String> h : headers.entrySet()) {
      if (h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
        throw new IllegalArgumentException("header " + h.getKey() + " holds a line break");
      }
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
    }
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
  }

  private Reply read(Socket socket, Instant deadline) throws IOException {
    InputStream in = new BufferedInputStream(new DeadlineInput(socket, deadline));
    String statusLine = line(in);
    String[] status = statusLine.split(" ", 3);
    if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].matches("[0-9]{3}")) {
      throw new IOException("not an HTTP/1.x reply");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int headBytes = statusLine.length();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      headBytes += line.length();
      if (headBytes > MAX_HEAD_BYTES) {
        throw new IOException("reply header larger than " + MAX_HEAD_BYTES + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(
            line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    byte[] body;
    String length = headers.get("content-length");
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked(in);
    } else if (length != null && length.matches("[0-9]{1,18}")) {
      body = in.readNBytes((int) Math.min(Long.parseLong(length), MAX_BODY_BYTES));
    } else {
      body = in.readNBytes(MAX_BODY_BYTES);
    }
    return new Reply(
        Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  /** The start of a chunked body, up to {@value #MAX_BODY_BYTES} bytes. */
  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (out.size() < MAX_BODY_BYTES) {
      String sizeLine = line(in);
      int semicolon = sizeLine.indexOf(';');
      String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
      if (!hex.matches("[0-9a-fA-F]{1,7}")) {
        throw new IOException("bad chunk size in the reply");
      }
      int size = Integer.parseInt(hex, 16);
      if (size == 0) {
        break;
      }
      out.write(in.readNBytes(Math.min(size, MAX_BODY_BYTES - out.size())));
      if (out.size() < MAX_BODY_BYTES) {
        line(in);
      }
    }
    return out.toByteArray();
  }

  /** One line of the reply's head, without its line break. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("the reply ended early");
      }
      if (line.size() == 8192) {
        throw new IOException("a reply line is longer than 8192 bytes");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private int millisLeft(Instant deadline) throws SocketTimeoutException {
    long left = Duration.between(clock.instant(), deadline).toMillis();
    if (left <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(left, Integer.MAX_VALUE);
  }

  /** The socket's input, each read waiting at most until the deadline. */
  private final class DeadlineInput extends InputStream {
    private final Socket socket;
    private final InputStream in;
    private final Instant deadline;

    DeadlineInput(Socket socket, Instant deadline) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.deadline = deadline;
    }

    @Override
    public int read() throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout(millisLeft(deadline));
      return in.read(b, off, len);
    }
  }
}
