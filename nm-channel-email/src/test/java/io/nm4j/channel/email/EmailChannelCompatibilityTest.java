package io.nm4j.channel.email;

import io.nm4j.channel.email.ScriptedSmtpServer.Script;
import io.nm4j.spi.ChannelLimits;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendResult.Reason;
import io.nm4j.test.ChannelCompatibilityKit;
import io.nm4j.test.TestManifests;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The e-mail channel against the kit, over a real SMTP server (SubEtha SMTP on 127.0.0.1) that
 * requires AUTH, offers STARTTLS with a certificate of the test CA, and is scripted per connection.
 * The config sets {@code requireTLS} and trusts the test CA through {@code tls.ca}, so both secrets
 * the channel handles (the password and the CA) are checked.
 */
class EmailChannelCompatibilityTest
    extends ChannelCompatibilityKit<EmailReceiver, EmailConfig, Script> {
  private static final String PASSWORD = "kit-smtp-password-7c1e";

  private ScriptedSmtpServer server;

  @BeforeEach
  void start() {
    server = new ScriptedSmtpServer(TestTls.serverContext("smtp-localhost"), "nm4j", PASSWORD);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Override
  protected ChannelProvider<EmailReceiver, EmailConfig> provider() {
    return new EmailChannelProvider();
  }

  @Override
  protected Map<String, Object> validReceiverSpec() {
    return Map.of(
        "to",
        List.of("ops@example.com"),
        "emailConfigSelector",
        Map.of("matchLabels", Map.of("type", "tenant")));
  }

  @Override
  protected Map<String, Object> validConfigSpec() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("from", "alerts@example.com");
    spec.put("smartHost", Map.of("host", "127.0.0.1", "port", String.valueOf(server.port())));
    spec.put("authUsername", "nm4j");
    spec.put("authPassword", Map.of("name", "kit-email-secret", "key", "password"));
    spec.put("requireTLS", true);
    spec.put("tls", Map.of("ca", Map.of("name", "kit-email-secret", "key", "ca.crt")));
    return spec;
  }

  @Override
  protected Map<String, Secret> secrets() {
    Map<String, Secret> s = new LinkedHashMap<>();
    s.put("spec.authPassword", Secret.of(PASSWORD));
    s.put("spec.tls.ca", Secret.of(TestTls.CA_PEM));
    return s;
  }

  @Override
  protected Set<String> secretTexts() {
    // The CA is public; what must never show is the password, plainly or as AUTH puts it on the
    // wire.
    Set<String> texts = new HashSet<>();
    texts.add(PASSWORD);
    Base64.Encoder b64 = Base64.getEncoder();
    texts.add(b64.encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
    texts.add(b64.encodeToString(("\0nm4j\0" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    return texts;
  }

  @Override
  protected void enqueue(Script reply) {
    server.enqueue(reply);
  }

  /** Three recipients, the second refused for a while. */
  @Override
  protected Resumption<Script> resumption() {
    Map<String, Object> receiver = new LinkedHashMap<>(validReceiverSpec());
    receiver.put("to", List.of("a@example.com", "b@example.com", "c@example.com"));
    return new Resumption<>(
        receiver,
        sampleAlerts(),
        List.of(Script.rcpt(Map.of("b@example.com", 451))),
        List.of(Script.accept()));
  }

  @Override
  protected List<Script> successReplies() {
    return List.of(Script.accept());
  }

  @Override
  protected List<ErrorReply<Script>> errorReplies() {
    return List.of(
        ErrorReply.of("AUTH 535", Script.rejectAuth(), Reason.AUTH_REJECTED, false),
        ErrorReply.of("RCPT 550", Script.rcpt(Map.of("*", 550)), Reason.INVALID_RECIPIENT, false),
        ErrorReply.of("RCPT 553", Script.rcpt(Map.of("*", 553)), Reason.INVALID_RECIPIENT, false),
        ErrorReply.of("RCPT 450", Script.rcpt(Map.of("*", 450)), Reason.REMOTE_ERROR, true),
        ErrorReply.of("RCPT 452", Script.rcpt(Map.of("*", 452)), Reason.REMOTE_ERROR, true),
        ErrorReply.of("RCPT 552", Script.rcpt(Map.of("*", 552)), Reason.REMOTE_ERROR, true),
        ErrorReply.of("MAIL 451", Script.mail(451), Reason.REMOTE_ERROR, true),
        ErrorReply.of("MAIL 550", Script.mail(550), Reason.REJECTED, false),
        ErrorReply.of("DATA 451", Script.data(451), Reason.REMOTE_ERROR, true),
        ErrorReply.of("DATA 552", Script.data(552), Reason.TOO_LARGE, false),
        ErrorReply.of("DATA 554", Script.data(554), Reason.REJECTED, false),
        ErrorReply.of("greeting 421", Script.greeting(421), Reason.REMOTE_ERROR, true),
        ErrorReply.of("MAIL 421 and close", Script.dropAtMail(), Reason.REMOTE_ERROR, true));
  }

  @Override
  protected Script noReply() {
    return Script.stallAtMail();
  }

  @Override
  protected List<BadSpec> badSpecs() {
    return List.of(
        BadSpec.config(
            "port not a number",
            TestManifests.lastOf("invalid/email-config-bad-port.yaml").spec(),
            "spec.smartHost.port"),
        BadSpec.config(
            "no from",
            TestManifests.lastOf("invalid/email-config-missing-from.yaml").spec(),
            "spec.from"),
        BadSpec.config(
            "no password",
            TestManifests.lastOf("invalid/email-config-missing-password.yaml").spec(),
            "spec.authPassword"),
        BadSpec.config(
            "tls without ca",
            Map.of(
                "from",
                "a@example.com",
                "smartHost",
                Map.of("host", "smtp.example.com", "port", "587"),
                "authUsername",
                "a",
                "authPassword",
                Map.of("name", "s", "key", "password"),
                "tls",
                Map.of("serverName", "smtp.example.com")),
            "spec.tls.ca"),
        BadSpec.receiver(
            "bad address",
            TestManifests.lastOf("invalid/email-receiver-bad-address.yaml").spec(),
            "spec.to[1]"),
        BadSpec.receiver(
            "empty to",
            TestManifests.lastOf("invalid/email-receiver-empty-to.yaml").spec(),
            "spec.to"));
  }

  @Override
  protected ChannelLimits expectedLimits() {
    return ChannelLimits.NONE;
  }

  @Override
  protected List<Integer> receivedMessageSizes() {
    List<Integer> sizes = new ArrayList<>();
    for (ScriptedSmtpServer.Received r : server.received()) {
      sizes.add(r.data().length);
    }
    return sizes;
  }
}
