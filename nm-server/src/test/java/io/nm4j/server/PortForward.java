package io.nm4j.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP port forward, as a Kubernetes Service or a proxy is: connections to its own address are
 * relayed byte for byte to a target, so a client reaches the target without naming its port.
 */
final class PortForward implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();

  PortForward(InetAddress bind, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket(0, 50, bind);
    this.target = target;
    Thread acceptor = new Thread(this::accept, "port-forward");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(upstream);
        connections.incrementAndGet();
        relay(client, upstream);
        relay(upstream, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void relay(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed: the other follows
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "port-forward-relay");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  /** {@code http://host:port} of the forward's own address. */
  String url(String path) {
    return "http://"
        + server.getInetAddress().getHostAddress()
        + ":"
        + server.getLocalPort()
        + path;
  }

  int connections() {
    return connections.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(PortForward::closeQuietly);
  }
}
