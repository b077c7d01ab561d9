package io.nm4j.channel.email.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import javax.net.SocketFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sockets of one SMTP conversation. Jakarta Mail's timeouts apply to each read, so a server
 * that answers slowly line by line could hold a send far past its deadline; closing every socket of
 * the conversation when the deadline comes ends it for sure. The TLS factory also verifies the
 * server's name (against {@code tls.serverName} when set), which Jakarta Mail is told not to do
 * itself so that the two checks cannot disagree.
 *
 * <p>Plain sockets come from a base factory, an egress policy's guarded one, which checks every
 * address before connecting.
 */
public final class TrackedSockets {
  private final SocketFactory base;
  private final List<Socket> sockets = new ArrayList<>();
  private boolean expired;

  public TrackedSockets(SocketFactory base) {
    this.base = base;
  }

  /** Closes every socket and marks the conversation as ended by its deadline. */
  public void expire() {
    List<Socket> toClose;
    synchronized (this) {
      expired = true;
      toClose = List.copyOf(sockets);
    }
    for (Socket s : toClose) {
      try {
        s.close();
      } catch (IOException e) {
        // closing is all we can do; the sending thread reports the failure
      }
    }
  }

  /** Whether the deadline closed the conversation. */
  public synchronized boolean expired() {
    return expired;
  }

  private <S extends Socket> S track(S socket) throws IOException {
    boolean late;
    synchronized (this) {
      late = expired;
      sockets.add(socket);
    }
    if (late) {
      socket.close();
    }
    return socket;
  }

  /** Plain sockets, tracked. */
  public SocketFactory plain() {
    return new SocketFactory() {
      @Override
      public Socket createSocket() throws IOException {
        return track(base.createSocket());
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return track(base.createSocket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress local, int localPort)
          throws IOException {
        return track(base.createSocket(host, port, local, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return track(base.createSocket(host, port));
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
          throws IOException {
        return track(base.createSocket(address, port, local, localPort));
      }
    };
  }

  /**
   * TLS sockets of {@code delegate}, tracked, with the server's name verified unless {@code
   * verifyName} is false. TLS layered on a connected socket takes {@code host} as the peer's name
   * whatever Jakarta Mail names it, since Jakarta Mail may have connected to a pinned address.
   *
   * @param host the configured host, the name the certificate is checked against
   * @param serverName the name to send as SNI and to accept in the certificate besides the host
   */
  public SSLSocketFactory tls(
      SSLSocketFactory delegate, String host, @Nullable String serverName, boolean verifyName) {
    String peerHost = host;
    return new SSLSocketFactory() {
      private SSLSocket configure(Socket s) throws IOException {
        SSLSocket ssl = (SSLSocket) s;
        SSLParameters p = ssl.getSSLParameters();
        if (verifyName) {
          p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (serverName != null) {
          p.setServerNames(List.of(new SNIHostName(serverName)));
        }
        ssl.setSSLParameters(p);
        return track(ssl);
      }

      @Override
      public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
      }

      @Override
      public Socket createSocket() throws IOException {
        return configure(delegate.createSocket());
      }

      @Override
      public Socket createSocket(Socket s, String connectedHost, int port, boolean autoClose)
          throws IOException {
        return configure(delegate.createSocket(s, peerHost, port, autoClose));
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress local, int localPort)
          throws IOException {
        return configure(delegate.createSocket(host, port, local, localPort));
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return configure(delegate.createSocket(host, port));
      }

      @Override
      public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
          throws IOException {
        return configure(delegate.createSocket(address, port, local, localPort));
      }
    };
  }
}
