package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SettingsOptions;
import io.nm4j.spi.SpecReader;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The settings' {@code spec.receivers.options.email}: {@code deliveryType} and {@code
 * maxEmailReceivers}, counted on GreenMail.
 */
class EmailDeliveryTypeTest {
  private static final String PASSWORD = "gm-password-77cd";
  private static final List<String> FIVE =
      List.of("a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com");

  private final EmailChannelProvider provider = new EmailChannelProvider();
  private GreenMail greenMail;
  private EmailChannel channel;

  @BeforeEach
  void start() {
    ServerSetup smtp = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort();
    smtp.setServerStartupTimeout(30_000);
    greenMail = new GreenMail(smtp);
    greenMail.start();
    greenMail.setUser("nm4j@example.com", "nm4j", PASSWORD);
    channel =
        (EmailChannel)
            provider
                .channel(
                    new ChannelContext(
                        Map.of(),
                        Clock.fixed(Instant.parse("2026-11-25T08:30:00Z"), ZoneOffset.UTC)))
                .orElseThrow();
  }

  @AfterEach
  void stop() {
    channel.close();
    greenMail.stop();
  }

  private Parsed<? extends SettingsOptions> options(Map<String, Object> block) {
    return provider.parseSettingsOptions(
        SpecReader.at(block, "spec.receivers.options.email", Sends.NS));
  }

  private SendResult send(Map<String, Object> block, List<String> to) {
    return channel.send(
        Sends.request(
                Sends.configSpec(greenMail.getSmtp().getPort()), to, Sends.secrets(PASSWORD, false))
            .withSettingsOptions(options(block).value()));
  }

  /** The To header of each distinct mail received, by Message-ID, in the order they came. */
  private List<List<String>> mails() throws Exception {
    Map<String, List<String>> byId = new LinkedHashMap<>();
    for (MimeMessage m : greenMail.getReceivedMessages()) {
      Address[] to = m.getRecipients(Message.RecipientType.TO);
      List<String> addresses = new ArrayList<>();
      Arrays.stream(to).forEach(a -> addresses.add(((InternetAddress) a).getAddress()));
      byId.putIfAbsent(m.getMessageID(), addresses);
    }
    return new ArrayList<>(byId.values());
  }

  @Test
  void withoutOptionsEveryRecipientGetsAMailOfTheirOwn() throws Exception {
    assertThat(send(Map.of(), FIVE.subList(0, 3))).isInstanceOf(SendResult.Delivered.class);

    assertThat(mails())
        .containsExactly(
            List.of("a@example.com"), List.of("b@example.com"), List.of("c@example.com"));
  }

  @Test
  void bulkDeliverySendsOneMailToAtMostMaxEmailReceiversRecipients() throws Exception {
    SendResult result = send(Map.of("deliveryType", "bulk", "maxEmailReceivers", 2), FIVE);

    assertThat(result).isInstanceOf(SendResult.Delivered.class);
    assertThat(((SendResult.Delivered) result).detail()).startsWith("sent 3 messages");
    assertThat(mails())
        .containsExactly(
            List.of("a@example.com", "b@example.com"),
            List.of("c@example.com", "d@example.com"),
            List.of("e@example.com"));
    assertThat(greenMail.getReceivedMessages()).as("every recipient's copy").hasSize(5);
  }

  @Test
  void bulkDeliveryWithoutMaxEmailReceiversSendsOneMailToEveryone() throws Exception {
    send(Map.of("deliveryType", "Bulk"), FIVE);

    assertThat(mails()).containsExactly(FIVE);
  }

  @Test
  void singleDeliveryIgnoresMaxEmailReceiversAndSaysSo() throws Exception {
    Parsed<? extends SettingsOptions> parsed =
        options(Map.of("deliveryType", "single", "maxEmailReceivers", 2));

    assertThat(parsed.value().notices())
        .extracting(FieldError::field)
        .containsExactly("spec.receivers.options.email.maxEmailReceivers");
    send(Map.of("deliveryType", "single", "maxEmailReceivers", 2), FIVE.subList(0, 3));
    assertThat(mails()).hasSize(3);
  }

  @Test
  void anUnknownDeliveryTypeOrABadMaximumIsAnErrorNamingTheField() {
    assertThat(options(Map.of("deliveryType", "broadcast")).errors())
        .containsExactly(
            new FieldError(
                "spec.receivers.options.email.deliveryType",
                "must be bulk or single, was \"broadcast\""));
    assertThat(options(Map.of("deliveryType", "bulk", "maxEmailReceivers", 0)).errors())
        .extracting(FieldError::field)
        .containsExactly("spec.receivers.options.email.maxEmailReceivers");
  }
}
