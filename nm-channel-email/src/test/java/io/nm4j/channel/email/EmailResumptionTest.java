package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.channel.email.ScriptedSmtpServer.Received;
import io.nm4j.channel.email.ScriptedSmtpServer.Script;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retry mails only the recipients the failed attempt did not reach, against SubEtha SMTP scripted
 * to refuse one recipient for a while.
 */
class EmailResumptionTest {
  private static final String PASSWORD = "resume-password-2b7c";
  private static final List<String> TO = List.of("a@example.com", "b@example.com", "c@example.com");

  private final EmailChannel channel = EmailChannel.builder().build();
  private ScriptedSmtpServer server;

  @BeforeEach
  void start() {
    server = new ScriptedSmtpServer(null, "nm4j", PASSWORD);
  }

  @AfterEach
  void stop() {
    channel.close();
    server.close();
  }

  private SendRequest<EmailReceiver, EmailConfig> request() {
    return Sends.request(Sends.configSpec(server.port()), TO, Sends.secrets(PASSWORD, false));
  }

  /** Sends {@code request} with the server following {@code script}; the send must fail. */
  private SendResult.Failed failing(
      SendRequest<EmailReceiver, EmailConfig> request, Script script) {
    server.enqueue(script);
    SendResult result = channel.send(request);
    assertThat(result).isInstanceOf(SendResult.Failed.class);
    return (SendResult.Failed) result;
  }

  private List<String> recipientsReceived(int from) {
    List<String> out = new ArrayList<>();
    List<Received> all = server.received();
    for (Received r : all.subList(from, all.size())) {
      out.addAll(r.to());
    }
    return out;
  }

  @Test
  void aRetryMailsOnlyTheRecipientsTheFailedAttemptDidNotReach() {
    SendRequest<EmailReceiver, EmailConfig> first = request();

    SendResult.Failed failed = failing(first, Script.rcpt(Map.of("b@example.com", 451)));

    assertThat(failed.reason()).isEqualTo(Reason.REMOTE_ERROR);
    assertThat(failed.retryable()).isTrue();
    assertThat(failed.detail()).contains("to b@example.com", "1 of 3 messages were sent before it");
    assertThat(recipientsReceived(0)).containsExactly("a@example.com");
    assertThat(failed.progress().size()).isEqualTo(1);

    server.enqueue(Script.accept());
    SendResult retried = channel.send(first.withProgress(failed.progress()));

    assertThat(retried)
        .isEqualTo(
            SendResult.delivered(
                "sent 2 messages via 127.0.0.1:" + server.port() + " (1 on an earlier attempt)"));
    assertThat(recipientsReceived(1)).containsExactly("b@example.com", "c@example.com");
  }

  @Test
  void aRetryThatFailsAgainStillCountsAndReportsTheRecipientsOfEarlierAttempts() {
    SendRequest<EmailReceiver, EmailConfig> first = request();
    SendResult.Failed failed = failing(first, Script.rcpt(Map.of("b@example.com", 451)));
    server.enqueue(Script.rcpt(Map.of("c@example.com", 452)));

    SendResult.Failed again =
        (SendResult.Failed) channel.send(first.withProgress(failed.progress()));

    assertThat(again.detail())
        .contains(
            "to c@example.com", "2 of 3 messages were sent before it, 1 on an earlier attempt");
    assertThat(again.progress().keys()).containsAll(failed.progress().keys()).hasSize(2);
    assertThat(recipientsReceived(0)).containsExactly("a@example.com", "b@example.com");
  }

  @Test
  void givenProgressCoveringEveryRecipientNothingIsSentAndNoConnectionMade() {
    SendRequest<EmailReceiver, EmailConfig> first = request();
    SendResult.Failed ab = failing(first, Script.rcpt(Map.of("c@example.com", 451)));
    // a@ and b@ refused for good, c@ mailed: this attempt's progress holds c@ only.
    SendResult.Failed c =
        failing(first, Script.rcpt(Map.of("a@example.com", 550, "b@example.com", 550)));
    assertThat(c.retryable()).isFalse();
    assertThat(c.progress().size()).isEqualTo(1);
    int sessions = server.sessions().size();

    SendResult none = channel.send(first.withProgress(ab.progress().union(c.progress())));

    assertThat(none)
        .isEqualTo(
            SendResult.delivered(
                "sent no message via 127.0.0.1:" + server.port() + " (3 on an earlier attempt)"));
    assertThat(server.sessions()).hasSize(sessions);
    assertThat(recipientsReceived(0))
        .containsExactly("a@example.com", "b@example.com", "c@example.com");
  }

  @Test
  void whenTheMailRendersDifferentlyOnTheRetryEveryRecipientGetsTheNewOne() {
    SendRequest<EmailReceiver, EmailConfig> first = request();
    SendResult.Failed failed = failing(first, Script.rcpt(Map.of("b@example.com", 451)));
    List<Alert> fewer = first.notification().alerts().subList(0, 1);
    Notification changed =
        new Notification(
            first.notification().id(),
            first.notification().receiver(),
            first.notification().scope(),
            first.notification().tenant(),
            first.notification().config(),
            fewer,
            AlertBatch.of(fewer));
    server.enqueue(Script.accept());

    SendResult retried =
        channel.send(
            new SendRequest<>(
                    changed, first.receiver(), first.config(), first.secrets(), first.deadline())
                .withProgress(failed.progress()));

    assertThat(retried).isInstanceOf(SendResult.Delivered.class);
    assertThat(recipientsReceived(1)).containsExactlyElementsOf(TO);
  }
}
