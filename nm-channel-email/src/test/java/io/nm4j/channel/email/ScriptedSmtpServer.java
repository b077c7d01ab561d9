package io.nm4j.channel.email;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.MessageContext;
import org.subethamail.smtp.MessageHandler;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * A real SMTP server (SubEtha SMTP) on 127.0.0.1 whose replies a test scripts: each connection
 * takes the next {@link Script} (or accepts everything when none is queued), so a test can make the
 * server reject AUTH, a recipient, MAIL or DATA with any code, drop the connection, or stall.
 */
final class ScriptedSmtpServer implements AutoCloseable {

  /**
   * What the server answers on one connection.
   *
   * @param greeting a reply code to refuse the connection with at the greeting, or 0 to greet
   * @param authFails whether AUTH is answered with 535
   * @param mail a reply code for MAIL FROM, or 0 to accept
   * @param rcpt reply codes by recipient address; the key {@code *} applies to every address
   * @param data a reply code for the message data, or 0 to accept
   * @param drop whether to close the connection at MAIL FROM without a reply
   * @param stall whether to say nothing after MAIL FROM until the server stops
   */
  record Script(
      int greeting,
      boolean authFails,
      int mail,
      Map<String, Integer> rcpt,
      int data,
      boolean drop,
      boolean stall) {
    static Script accept() {
      return new Script(0, false, 0, Map.of(), 0, false, false);
    }

    static Script greeting(int code) {
      return new Script(code, false, 0, Map.of(), 0, false, false);
    }

    static Script rejectAuth() {
      return new Script(0, true, 0, Map.of(), 0, false, false);
    }

    static Script mail(int code) {
      return new Script(0, false, code, Map.of(), 0, false, false);
    }

    static Script rcpt(Map<String, Integer> codes) {
      return new Script(0, false, 0, Map.copyOf(codes), 0, false, false);
    }

    static Script data(int code) {
      return new Script(0, false, 0, Map.of(), code, false, false);
    }

    static Script dropAtMail() {
      return new Script(0, false, 0, Map.of(), 0, true, false);
    }

    static Script stallAtMail() {
      return new Script(0, false, 0, Map.of(), 0, false, true);
    }
  }

  /**
   * A message the server accepted.
   *
   * @param from the envelope sender
   * @param to the envelope recipients
   * @param data the message as received
   * @param sessionId the connection it came over
   * @param tls whether the connection had started TLS
   */
  record Received(String from, List<String> to, byte[] data, String sessionId, boolean tls) {}

  private final Queue<Script> scripts = new ConcurrentLinkedQueue<>();
  private final Map<String, Script> bySession = new ConcurrentHashMap<>();
  private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
  private final List<String> sessions = Collections.synchronizedList(new ArrayList<>());
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final SMTPServer server;

  /**
   * Starts a server.
   *
   * @param tls the key to offer STARTTLS with; {@code null} offers no STARTTLS
   * @param user the AUTH user, or {@code null} for no AUTH
   * @param password the AUTH password
   */
  ScriptedSmtpServer(@Nullable SSLContext tls, @Nullable String user, @Nullable String password) {
    SMTPServer.Builder b =
        SMTPServer.port(0)
            .bindAddress(loopback())
            .hostName("localhost")
            .sessionHandler(new Sessions())
            .messageHandlerFactory(Handler::new);
    if (tls != null) {
      b.enableTLS().startTlsSocketFactory(tls);
    }
    if (user != null) {
      b.authenticationHandlerFactory(
          new EasyAuthenticationHandlerFactory(
              (u, p, context) -> {
                if (script(context).authFails() || !user.equals(u) || !p.equals(password)) {
                  throw new LoginFailedException();
                }
              }));
    }
    server = b.build();
    server.start();
  }

  private static InetAddress loopback() {
    try {
      return InetAddress.getByName("127.0.0.1");
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  int port() {
    return server.getPortAllocated();
  }

  void enqueue(Script script) {
    scripts.add(script);
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** Ids of the connections accepted so far. */
  List<String> sessions() {
    return List.copyOf(sessions);
  }

  @Override
  public void close() {
    stopped.countDown();
    server.stop();
  }

  private Script script(MessageContext context) {
    return bySession.getOrDefault(context.getSessionId(), Script.accept());
  }

  private final class Sessions implements SessionHandler {
    @Override
    public SessionAcceptance accept(Session session) {
      Script s = scripts.poll();
      Script script = s == null ? Script.accept() : s;
      bySession.put(session.getSessionId(), script);
      sessions.add(session.getSessionId());
      return script.greeting() == 0
          ? SessionAcceptance.success()
          : SessionAcceptance.failure(script.greeting(), "4.3.2 Service not available");
    }

    @Override
    public void onSessionEnd(Session session) {}
  }

  private final class Handler implements MessageHandler {
    private final MessageContext context;
    private final Script script;
    private String from = "";
    private final List<String> to = new ArrayList<>();

    Handler(MessageContext context) {
      this.context = context;
      this.script = script(context);
    }

    @Override
    public void from(String address) throws RejectException {
      if (script.drop()) {
        throw new DropConnectionException(421, "4.4.2 closing");
      }
      if (script.stall()) {
        try {
          stopped.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (script.mail() != 0) {
        throw new RejectException(script.mail(), "sender refused");
      }
      from = address;
    }

    @Override
    public void recipient(String address) throws RejectException {
      Integer code = script.rcpt().getOrDefault(address, script.rcpt().get("*"));
      if (code != null) {
        throw new RejectException(
            code, (code >= 500 ? "5.1.1" : "4.2.1") + " <" + address + ">: mailbox unavailable");
      }
      to.add(address);
    }

    @Override
    public String data(InputStream data) throws RejectException, IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      data.transferTo(out);
      if (script.data() != 0) {
        throw new RejectException(
            script.data(), script.data() == 552 ? "5.3.4 message too big" : "message refused");
      }
      boolean tls = context instanceof Session s && s.isTLSStarted();
      received.add(
          new Received(from, List.copyOf(to), out.toByteArray(), context.getSessionId(), tls));
      return null;
    }

    @Override
    public void done() {}
  }
}
