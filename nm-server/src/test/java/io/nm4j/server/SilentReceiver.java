package io.nm4j.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A receiver that hangs: a real socket that accepts connections and never answers, as a stuck
 * webhook endpoint does. With a greeting it is a service of another kind, as an internal SSH server
 * is: it sends its banner line, then nothing more, and ends its side of the connection.
 */
final class SilentReceiver implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /** On 127.0.0.1, silent. */
  SilentReceiver() throws IOException {
    this(InetAddress.getLoopbackAddress(), null);
  }

  SilentReceiver(InetAddress bind, @Nullable String greeting) throws IOException {
    server = new ServerSocket(0, 50, bind);
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  accepted.add(s);
                  if (greeting != null) {
                    s.getOutputStream()
                        .write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                  }
                } catch (IOException e) {
                  return; // closed
                }
              }
            },
            "silent-receiver");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String url(String path) {
    return "http://" + host() + ":" + port() + path;
  }

  String host() {
    return server.getInetAddress().getHostAddress();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far (each one a send waiting for an answer that never comes). */
  int connections() {
    return accepted.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
