package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Scope;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SpecReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds send requests from specs, the way the core resolves them. */
final class Sends {
  static final String NS = "kubesphere-monitoring-system";
  static final Instant STARTS = Instant.parse("2026-11-24T15:55:41Z");

  private Sends() {}

  /**
   * A config spec sending from alerts@example.com as user nm4j to 127.0.0.1:port. The test servers
   * on plain ports offer no STARTTLS (or one whose certificate a test chooses), so AUTH in clear is
   * allowed; {@link #strictConfigSpec} is the config that refuses it.
   */
  static Map<String, Object> configSpec(int port) {
    return with(strictConfigSpec(port), "allowInsecureAuth", true);
  }

  /** {@link #configSpec} without {@code allowInsecureAuth}: AUTH only over TLS. */
  static Map<String, Object> strictConfigSpec(int port) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("from", "alerts@example.com");
    spec.put("smartHost", Map.of("host", "127.0.0.1", "port", String.valueOf(port)));
    spec.put("authUsername", "nm4j");
    spec.put("authPassword", Map.of("name", "mail", "key", "password"));
    return spec;
  }

  static Map<String, Object> with(Map<String, Object> spec, String field, Object value) {
    Map<String, Object> out = new LinkedHashMap<>(spec);
    out.put(field, value);
    return out;
  }

  static Map<String, Object> caRef() {
    return Map.of("name", "mail", "key", "ca.crt");
  }

  static List<Alert> alerts() {
    return List.of(
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "DiskFüll", "namespace", "demo", "severity", "warning"),
            Map.of("summary", "Volume data-0 is 95 % full — Über-Last"),
            STARTS,
            null,
            "http://prometheus.example:9090/graph",
            "fp1"),
        new Alert(
            AlertStatus.RESOLVED,
            Map.of(
                "alertname",
                "KubePodCrashLooping",
                "namespace",
                "demo",
                "severity",
                "<script>alert(1)</script>"),
            Map.of("summary", "Pod demo/api & co were <b>crash</b> looping."),
            STARTS,
            STARTS.plusSeconds(300),
            "",
            "fp2"));
  }

  static SendRequest<EmailReceiver, EmailConfig> request(
      Map<String, Object> configSpec, List<String> to, Map<String, Secret> secrets) {
    Parsed<EmailConfig> config =
        new EmailChannelProvider().parseConfig(SpecReader.of(configSpec, NS));
    assertThat(config.errors()).isEmpty();
    return request(config.value(), to, secrets);
  }

  /** A request with a config already parsed (a v2beta2 block's, say). */
  static SendRequest<EmailReceiver, EmailConfig> request(
      EmailConfig config, List<String> to, Map<String, Secret> secrets) {
    EmailChannelProvider provider = new EmailChannelProvider();
    Parsed<EmailReceiver> receiver = provider.parseReceiver(SpecReader.of(Map.of("to", to), NS));
    assertThat(receiver.errors()).isEmpty();
    List<Alert> alerts = alerts();
    Notification n =
        new Notification(
            "n-42",
            new ObjectRef("EmailReceiver", "ops"),
            Scope.GLOBAL,
            null,
            new ObjectRef("EmailConfig", "smarthost"),
            alerts,
            AlertBatch.of(alerts));
    return new SendRequest<>(n, receiver.value(), config, secrets, Instant.now().plusSeconds(20));
  }

  static Map<String, Secret> secrets(String password, boolean withCa) {
    Map<String, Secret> s = new HashMap<>();
    s.put("spec.authPassword", Secret.of(password));
    if (withCa) {
      s.put("spec.tls.ca", Secret.of(TestTls.CA_PEM));
    }
    return s;
  }
}
