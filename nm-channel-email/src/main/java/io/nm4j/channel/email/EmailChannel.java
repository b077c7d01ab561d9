package io.nm4j.channel.email;

import io.nm4j.channel.email.internal.AlertMimeMessage;
import io.nm4j.channel.email.internal.EmailAddresses;
import io.nm4j.channel.email.internal.EmailSettingsOptions;
import io.nm4j.channel.email.internal.SmtpFailures;
import io.nm4j.channel.email.internal.SmtpTls;
import io.nm4j.channel.email.internal.TrackedSockets;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.EgressDeniedException;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendProgress;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.spi.TemplateEngine;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Sends a notification as e-mail through the config's SMTP server (its "smart host") with Jakarta
 * Mail. Each recipient gets a message of their own, so recipients never see each other, and all of
 * a notification's messages go over one SMTP connection.
 *
 * <p><b>TLS.</b> A port in {@link Builder#implicitTlsPorts(Set)} (465 by default) speaks TLS from
 * the first byte (SMTPS). Any other port starts in clear and upgrades with STARTTLS when the server
 * offers it; with {@code requireTLS: true} the channel refuses to send unless STARTTLS succeeds.
 * Either way the server's certificate is verified (against {@code tls.ca} when set, else the JVM's
 * trust store) and its name checked against {@code smartHost.host} or {@code tls.serverName},
 * unless {@code tls.insecureSkipVerify} is true.
 *
 * <p><b>Authentication.</b> With a non-empty {@code authUsername} the channel authenticates with
 * AUTH PLAIN or LOGIN, whichever the server offers ({@code authIdentify} is the PLAIN authorization
 * identity). CRAM-MD5 ({@code authSecret}) is not supported by Jakarta Mail; the password is used,
 * and a missing {@code authSecret} does not keep a mail from being sent. AUTH never sends the
 * password in clear: on a port without implicit TLS, a server that offers no STARTTLS (or whose
 * offer an attacker stripped) is refused, unless the config says {@code allowInsecureAuth: true}.
 *
 * <p><b>Sender.</b> {@code from} is an address or a display name and an address ({@code Alerts
 * <alerts@example.com>}); a name outside ASCII is encoded (RFC 2047) in the {@code From} header,
 * and the address alone is the envelope sender.
 *
 * <p><b>Outcomes.</b> A 5xx reply to one recipient fails that address only: the others are still
 * sent, and the result is a permanent {@link Reason#INVALID_RECIPIENT} naming the rejected
 * addresses and how many were sent (a permanent failure is not retried, so nobody gets a
 * duplicate). A retryable failure (4xx, connection, timeout) part-way stops the send and reports
 * the recipients reached as its progress, so the retry mails only the others. A recipient is
 * recognised with the mail's sender and content: when the mail renders differently on the retry,
 * every recipient gets the new one.
 */
public final class EmailChannel implements Channel<EmailReceiver, EmailConfig> {
  /** Field paths of the secrets the channel reads. */
  static final String AUTH_PASSWORD = "spec.authPassword";

  static final String TLS_CA = "spec.tls.ca";
  static final String TLS_CERT = "spec.tls.cert";
  static final String TLS_KEY = "spec.tls.key";

  private final Clock clock;
  private final EmailRenderer renderer;
  private final Set<Integer> implicitTlsPorts;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final ScheduledExecutorService watchdog;

  private EmailChannel(Builder b) {
    this.clock = b.clock;
    this.renderer =
        b.renderer != null
            ? b.renderer
            : b.templateEngine != null
                ? EmailRenderer.templates(b.templateEngine)
                : EmailRenderer.defaultRenderer();
    this.implicitTlsPorts = Set.copyOf(b.implicitTlsPorts);
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "nm4j-email-deadline");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    this.watchdog = timer;
  }

  /** A builder with the defaults: system clock, default renderer, port 465 implicit TLS. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public SendResult send(SendRequest<EmailReceiver, EmailConfig> request) {
    String config = request.configName("EmailConfig");
    Duration remaining = Duration.between(clock.instant(), request.deadline());
    if (remaining.isNegative() || remaining.isZero()) {
      return SendResult.retryable(
          Reason.TIMEOUT, config + ": the deadline passed before connecting");
    }
    EmailConfig c = request.config();
    Secret password = null;
    if (c.authPassword() != null) {
      password = request.secret(AUTH_PASSWORD);
      if (password == null) {
        return SendResult.missingSecret(config + ": " + AUTH_PASSWORD, c.authPassword());
      }
    }
    SSLSocketFactory tls;
    EmailConfig.Tls t = c.tls();
    if (t == null) {
      tls = SmtpTls.socketFactory(null, null, null, false);
    } else {
      Secret ca = null;
      Secret cert = null;
      Secret key = null;
      if (t.ca() != null && !t.insecureSkipVerify() && (ca = request.secret(TLS_CA)) == null) {
        return SendResult.missingSecret(config + ": " + TLS_CA, t.ca());
      }
      if (t.cert() != null && (cert = request.secret(TLS_CERT)) == null) {
        return SendResult.missingSecret(config + ": " + TLS_CERT, t.cert());
      }
      if (t.key() != null && (key = request.secret(TLS_KEY)) == null) {
        return SendResult.missingSecret(config + ": " + TLS_KEY, t.key());
      }
      try {
        tls = SmtpTls.socketFactory(ca, cert, key, t.insecureSkipVerify());
      } catch (IllegalArgumentException e) {
        return SendResult.permanent(Reason.TLS_FAILED, config + ": spec.tls." + e.getMessage());
      }
    }
    EmailContent content = renderer.render(request.notification(), request.rendering());
    return ChannelTemplates.annotate(
        converse(request, config, password, tls, content, remaining), content.templateProblem());
  }

  private SendResult converse(
      SendRequest<EmailReceiver, EmailConfig> request,
      String config,
      Secret password,
      SSLSocketFactory tls,
      EmailContent content,
      Duration remaining) {
    EmailConfig c = request.config();
    String host = c.smartHost().host();
    int port = c.smartHost().port();
    String server = "SMTP server " + host + ":" + port;
    InternetAddress from;
    EmailAddresses.Sender sender = EmailAddresses.sender(c.from());
    List<InternetAddress> to = new ArrayList<>();
    try {
      from = fromHeader(sender);
      for (String address : request.receiver().to()) {
        to.add(new InternetAddress(address, true));
      }
    } catch (AddressException e) {
      return SendResult.permanent(
          Reason.INVALID_RECIPIENT, config + ": not an address: " + e.getRef());
    }
    List<List<InternetAddress>> mails =
        request
            .settingsOptions(EmailSettingsOptions.class, EmailSettingsOptions.DEFAULTS)
            .mails(to);
    SendProgress.Builder mailed = request.progress().toBuilder();
    List<String> keys = new ArrayList<>(mails.size());
    int earlier = 0;
    for (List<InternetAddress> rcpts : mails) {
      String key =
          SendProgress.key(
              c.from(), addresses(rcpts), content.subject(), content.text(), content.html());
      keys.add(key);
      earlier += mailed.contains(key) ? 1 : 0;
    }
    if (earlier == mails.size()) {
      return SendResult.delivered(
          "sent no message via " + host + ":" + port + " (" + earlier + " on an earlier attempt)");
    }

    // The SMTP host is the config owner's choice. Under a restricting policy it is resolved here,
    // every address checked, and the first allowed one pinned for Jakarta Mail to connect to, so
    // a later lookup cannot answer differently; certificates are still checked against the name.
    String connectTo = host;
    EgressPolicy egress = request.egress();
    if (!egress.isUnrestricted()) {
      InetAddress pinned;
      try {
        pinned = allowedAddress(host, port, egress);
      } catch (EgressDeniedException e) {
        return SendResult.egressDenied(config + ": " + server, e);
      } catch (UnknownHostException e) {
        return SendResult.retryable(
            Reason.CONNECTION_FAILED, config + ": " + server + ": cannot resolve the host");
      }
      connectTo = pinned.getHostAddress();
    }
    TrackedSockets sockets = new TrackedSockets(egress.socketFactory());
    EmailConfig.Tls t = c.tls();
    boolean verify = t == null || !t.insecureSkipVerify();
    Properties props =
        properties(
            c,
            sender.address(),
            connectTo,
            sockets,
            tls,
            t == null ? null : t.serverName(),
            verify,
            remaining);
    Session session = Session.getInstance(props);
    ScheduledFuture<?> timer =
        watchdog.schedule(
            sockets::expire, Math.max(1, remaining.toMillis()), TimeUnit.MILLISECONDS);
    Transport transport = null;
    try {
      transport = session.getTransport("smtp");
      boolean auth = password != null;
      try {
        transport.connect(
            connectTo, port, auth ? c.authUsername() : null, auth ? password.reveal() : null);
      } catch (MessagingException e) {
        EgressDeniedException denied = EgressDeniedException.find(e);
        if (denied != null) {
          return SendResult.egressDenied(config + ": " + server, denied);
        }
        SmtpFailures.Failure f =
            refusesCleartextAuth(c) && !isTrue(c.requireTLS())
                ? SmtpFailures.classifyRefusingCleartextAuth(e, sockets.expired())
                : SmtpFailures.classify(e, sockets.expired());
        return failed(f, config + ": " + server + ": " + f.text());
      }
      String idBase = messageIdBase(request.notification().id());
      String domain = sender.address().substring(sender.address().lastIndexOf('@') + 1);
      List<String> rejected = new ArrayList<>();
      int sent = 0;
      for (int i = 0; i < mails.size(); i++) {
        List<InternetAddress> rcpts = mails.get(i);
        if (mailed.contains(keys.get(i))) {
          continue;
        }
        try {
          AlertMimeMessage message =
              AlertMimeMessage.create(
                  session,
                  from,
                  rcpts,
                  content,
                  clock.instant(),
                  "<" + idBase + "." + (i + 1) + "@" + domain + ">");
          transport.sendMessage(message, rcpts.toArray(InternetAddress[]::new));
          sent++;
          mailed.add(keys.get(i));
        } catch (MessagingException e) {
          int code = SmtpFailures.recipientCode(e);
          if (code >= 500 && code != 552 && !sockets.expired()) {
            rejected.add(addresses(rcpts) + " (" + SmtpFailures.recipientReply(e) + ")");
            continue;
          }
          SmtpFailures.Failure f = SmtpFailures.classify(e, sockets.expired());
          int done = sent + earlier;
          String progress =
              done == 0
                  ? "no message was sent"
                  : done
                      + " of "
                      + mails.size()
                      + " messages were sent before it"
                      + (earlier == 0 ? "" : ", " + earlier + " on an earlier attempt");
          if (!rejected.isEmpty()) {
            progress += "; rejected: " + String.join(", ", rejected);
          }
          return failed(
                  f,
                  config
                      + ": "
                      + server
                      + ": to "
                      + addresses(rcpts)
                      + ": "
                      + f.text()
                      + " ("
                      + progress
                      + ")")
              .withProgress(mailed.build());
        }
      }
      String before = earlier == 0 ? "" : " (" + earlier + " on an earlier attempt)";
      if (!rejected.isEmpty()) {
        int done = sent + earlier;
        String others =
            done == 0
                ? "no message was sent"
                : "the other "
                    + done
                    + " of "
                    + mails.size()
                    + (mails.size() == to.size() ? " recipients" : " messages")
                    + " were sent"
                    + before;
        return failed(
                new SmtpFailures.Failure(Reason.INVALID_RECIPIENT, false, ""),
                config + ": " + server + " rejected " + String.join(", ", rejected) + "; " + others)
            .withProgress(mailed.build());
      }
      return SendResult.delivered(
          "sent "
              + sent
              + " message"
              + (sent == 1 ? "" : "s")
              + " via "
              + host
              + ":"
              + port
              + before);
    } catch (MessagingException e) {
      SmtpFailures.Failure f = SmtpFailures.classify(e, sockets.expired());
      return failed(f, config + ": " + server + ": " + f.text());
    } finally {
      if (transport != null) {
        try {
          transport.close();
        } catch (MessagingException e) {
          // the outcome is decided; a failed QUIT changes nothing
        }
      }
      timer.cancel(false);
    }
  }

  /** The addresses of one mail's recipients, for keys and messages. */
  private static String addresses(List<InternetAddress> rcpts) {
    return rcpts.stream().map(InternetAddress::getAddress).collect(Collectors.joining(", "));
  }

  /**
   * The first address of {@code host} the policy allows.
   *
   * @throws EgressDeniedException naming the first denied address when none is allowed
   */
  private static InetAddress allowedAddress(String host, int port, EgressPolicy egress)
      throws UnknownHostException, EgressDeniedException {
    String firstDenial = null;
    for (InetAddress a : InetAddress.getAllByName(host)) {
      String reason = egress.check(a, port);
      if (reason == null) {
        return a;
      }
      if (firstDenial == null) {
        firstDenial = reason;
      }
    }
    throw new EgressDeniedException(firstDenial == null ? host + " has no address" : firstDenial);
  }

  /**
   * The {@code From} header: a display name is encoded as RFC 2047 words when it is not ASCII, and
   * quoted when it needs to be.
   */
  private static InternetAddress fromHeader(EmailAddresses.Sender sender) throws AddressException {
    if (sender.name() == null) {
      return new InternetAddress(sender.address(), true);
    }
    try {
      InternetAddress from = new InternetAddress(sender.address(), sender.name(), "UTF-8");
      from.validate();
      return from;
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalStateException("every JVM has UTF-8", e);
    }
  }

  /**
   * Whether this config's AUTH, on a connection that starts in clear, needs STARTTLS: it logs in,
   * and nobody allowed it to do so in clear.
   */
  private boolean refusesCleartextAuth(EmailConfig c) {
    return !implicitTlsPorts.contains(c.smartHost().port())
        && !c.authUsername().isEmpty()
        && !isTrue(c.allowInsecureAuth());
  }

  private Properties properties(
      EmailConfig c,
      String envelopeSender,
      String connectTo,
      TrackedSockets sockets,
      SSLSocketFactory tls,
      @Nullable String serverName,
      boolean verify,
      Duration remaining) {
    boolean implicit = implicitTlsPorts.contains(c.smartHost().port());
    Properties p = new Properties();
    p.put("mail.smtp.host", connectTo);
    p.put("mail.smtp.port", String.valueOf(c.smartHost().port()));
    p.put("mail.smtp.from", envelopeSender);
    p.put("mail.smtp.connectiontimeout", millis(connectTimeout, remaining));
    p.put("mail.smtp.timeout", millis(readTimeout, remaining));
    p.put("mail.smtp.quitwait", "false");
    p.put("mail.smtp.sendpartial", "false");
    p.put("mail.smtp.auth", String.valueOf(!c.authUsername().isEmpty()));
    // PLAIN and LOGIN only: never a mechanism that would treat the password as something else.
    p.put("mail.smtp.auth.mechanisms", "PLAIN LOGIN");
    if (c.authIdentify() != null) {
      p.put("mail.smtp.sasl.authorizationid", c.authIdentify());
    }
    if (c.hello() != null) {
      p.put("mail.smtp.localhost", c.hello());
    }
    p.put("mail.smtp.ssl.enable", String.valueOf(implicit));
    p.put("mail.smtp.starttls.enable", String.valueOf(!implicit));
    // Jakarta Mail then fails before AUTH when the server offers no STARTTLS.
    p.put(
        "mail.smtp.starttls.required",
        String.valueOf(!implicit && (isTrue(c.requireTLS()) || refusesCleartextAuth(c))));
    // The factories verify the server's name themselves (honouring tls.serverName).
    p.put("mail.smtp.ssl.checkserveridentity", "false");
    p.put("mail.smtp.socketFactory", sockets.plain());
    p.put("mail.smtp.socketFactory.fallback", "false");
    p.put(
        "mail.smtp.ssl.socketFactory", sockets.tls(tls, c.smartHost().host(), serverName, verify));
    return p;
  }

  private static boolean isTrue(@Nullable Boolean b) {
    return b != null && b;
  }

  private static String millis(Duration configured, Duration remaining) {
    return String.valueOf(Math.max(1, Math.min(configured.toMillis(), remaining.toMillis())));
  }

  /** Letters, digits, dots and hyphens of the notification id, and a random part. */
  private static String messageIdBase(String notificationId) {
    StringBuilder b = new StringBuilder("nm4j.");
    for (int i = 0; i < notificationId.length() && b.length() < 80; i++) {
      char ch = notificationId.charAt(i);
      boolean safe =
          (ch >= 'a' && ch <= 'z')
              || (ch >= 'A' && ch <= 'Z')
              || (ch >= '0' && ch <= '9')
              || ch == '-'
              || ch == '.';
      b.append(safe ? ch : '-');
    }
    return b.append('.').append(UUID.randomUUID().toString().replace("-", "")).toString();
  }

  /**
   * The failure as a result. A server that echoes the password in its reply is scrubbed by the
   * core, for every channel alike, before the detail is shown anywhere.
   */
  private static SendResult.Failed failed(SmtpFailures.Failure f, String detail) {
    return f.retryable()
        ? SendResult.retryable(f.reason(), detail)
        : SendResult.permanent(f.reason(), detail);
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }

  /** Builds an {@link EmailChannel}; every setting has a default. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private @Nullable EmailRenderer renderer;
    private @Nullable TemplateEngine templateEngine;
    private Set<Integer> implicitTlsPorts = Set.of(465);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The clock deadlines and the Date header are read from. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The engine the built-in templates (and receivers' own) are rendered with; by default the one
     * on the class path (FreeMarker, which this module brings). Unused with a {@link
     * #renderer(EmailRenderer)} of the host's.
     */
    public Builder templateEngine(TemplateEngine engine) {
      this.templateEngine = Objects.requireNonNull(engine, "templateEngine");
      return this;
    }

    /** How alerts become subject and bodies; {@link EmailRenderer#defaultRenderer()} by default. */
    public Builder renderer(EmailRenderer renderer) {
      this.renderer = Objects.requireNonNull(renderer, "renderer");
      return this;
    }

    /**
     * The ports that speak TLS from the first byte (SMTPS); {@code 465} by default. Every other
     * port uses STARTTLS.
     */
    public Builder implicitTlsPorts(Set<Integer> ports) {
      for (int p : ports) {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("implicitTlsPorts: must be 1..65535, was " + p);
        }
      }
      this.implicitTlsPorts = Set.copyOf(ports);
      return this;
    }

    /** The longest a TCP connect may take; 10 s by default, and never past the deadline. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** The longest one read may wait; 30 s by default, and never past the deadline. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive(timeout, "readTimeout");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + ": must be positive, was " + d);
      }
      return d;
    }

    public EmailChannel build() {
      return new EmailChannel(this);
    }
  }
}
