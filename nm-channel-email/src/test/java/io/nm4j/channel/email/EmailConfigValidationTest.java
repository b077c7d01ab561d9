package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailConfigValidationTest {
  private static final String NS = "kubesphere-monitoring-system";
  private final EmailChannelProvider provider = new EmailChannelProvider();

  private static Map<String, Object> ref(String name, String key) {
    return Map.of("name", name, "key", key);
  }

  /** A valid spec to break one field of. */
  private static Map<String, Object> validSpec() {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("from", "alerts@example.com");
    spec.put("smartHost", Map.of("host", "smtp.example.com", "port", "465"));
    spec.put("authUsername", "alerts");
    spec.put("authPassword", ref("mail", "password"));
    return spec;
  }

  private Parsed<EmailConfig> parse(Map<String, Object> spec) {
    return provider.parseConfig(SpecReader.of(spec, NS));
  }

  @Test
  void emptySpecReportsEveryMissingRequiredFieldAtOnce() {
    assertThat(parse(Map.of()).errors())
        .containsExactly(
            new FieldError("spec.from", "is required"),
            new FieldError("spec.smartHost", "is required"),
            new FieldError("spec.authUsername", "is required"),
            new FieldError("spec.authPassword", "is required (a secret reference {name, key})"));
  }

  @Test
  void errorsOfNestedObjectsAreReportedTogetherWithTopLevelOnes() {
    Map<String, Object> spec = validSpec();
    spec.put("from", "alerts at example.com");
    spec.put("smartHost", Map.of("port", 0));
    spec.put("authPassword", Map.of("key", "password"));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.from",
                "must be an e-mail address like alerts@example.com or Alerts"
                    + " <alerts@example.com>, was \"alerts at example.com\": contains whitespace"),
            new FieldError("spec.smartHost.host", "is required"),
            new FieldError("spec.smartHost.port", "must be 1..65535, was 0"),
            new FieldError("spec.authPassword.name", "is required"));
  }

  @Test
  void portIsAcceptedAsStringOrNumber() {
    Map<String, Object> asString = validSpec();
    Map<String, Object> asNumber = validSpec();
    asNumber.put("smartHost", Map.of("host", "smtp.example.com", "port", 465));

    assertThat(parse(asString).value().smartHost().port()).isEqualTo(465);
    assertThat(parse(asNumber).value().smartHost().port()).isEqualTo(465);
  }

  @Test
  void portOutOfRangeNamesTheValue() {
    Map<String, Object> number = validSpec();
    number.put("smartHost", Map.of("host", "smtp.example.com", "port", 70000));
    Map<String, Object> text = validSpec();
    text.put("smartHost", Map.of("host", "smtp.example.com", "port", "-25"));

    assertThat(parse(number).errors())
        .containsExactly(new FieldError("spec.smartHost.port", "must be 1..65535, was 70000"));
    assertThat(parse(text).errors())
        .containsExactly(new FieldError("spec.smartHost.port", "must be 1..65535, was \"-25\""));
  }

  @Test
  void hostWithAPortTellsWhereThePortGoes() {
    Map<String, Object> spec = validSpec();
    spec.put("smartHost", Map.of("host", "smtp.example.com:587", "port", "587"));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.smartHost.host",
                "must be a host name or IP address without a port (put the port in"
                    + " spec.smartHost.port), was \"smtp.example.com:587\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"smtp://smtp.example.com", "smtp example.com"})
  void hostMustBeAHostName(String host) {
    Map<String, Object> spec = validSpec();
    spec.put("smartHost", Map.of("host", host, "port", "25"));

    assertThat(parse(spec).errors())
        .extracting(FieldError::field)
        .containsExactly("spec.smartHost.host");
  }

  @Test
  void ipv6HostIsAccepted() {
    Map<String, Object> spec = validSpec();
    spec.put("smartHost", Map.of("host", "2001:db8::25", "port", "25"));

    assertThat(parse(spec).value().smartHost().host()).isEqualTo("2001:db8::25");
  }

  @Test
  void everyOptionalFieldIsParsedAndEverySecretReferenceASendReadsListedByPath() {
    Map<String, Object> spec = validSpec();
    spec.put("hello", "nm4j.example.com");
    spec.put("authIdentify", "ops");
    spec.put("authSecret", ref("mail", "cram"));
    spec.put("requireTLS", false);
    spec.put("allowInsecureAuth", true);
    spec.put(
        "tls",
        Map.of(
            "ca", ref("mail-tls", "ca.crt"),
            "cert", ref("mail-tls", "client.crt"),
            "key", ref("mail-tls", "client.key"),
            "serverName", "smtp.internal"));

    EmailConfig config = parse(spec).value();

    assertThat(config.hello()).isEqualTo("nm4j.example.com");
    assertThat(config.authIdentify()).isEqualTo("ops");
    assertThat(config.requireTLS()).isFalse();
    assertThat(config.allowInsecureAuth()).isTrue();
    assertThat(config.authSecret()).isEqualTo(new SecretKeySelector("mail", "cram"));
    assertThat(config.tls())
        .isEqualTo(
            new EmailConfig.Tls(
                new SecretKeySelector("mail-tls", "ca.crt"),
                new SecretKeySelector("mail-tls", "client.crt"),
                new SecretKeySelector("mail-tls", "client.key"),
                "smtp.internal",
                false));
    // CRAM-MD5 is not supported: the core never resolves authSecret, so a missing one cannot keep
    // mail from being sent.
    assertThat(config.secretRefs())
        .containsExactly(
            Map.entry("spec.authPassword", new SecretKeySelector("mail", "password")),
            Map.entry("spec.tls.ca", new SecretKeySelector("mail-tls", "ca.crt")),
            Map.entry("spec.tls.cert", new SecretKeySelector("mail-tls", "client.crt")),
            Map.entry("spec.tls.key", new SecretKeySelector("mail-tls", "client.key")));
  }

  @Test
  void insecureSkipVerifyAloneIsAccepted() {
    Map<String, Object> spec = validSpec();
    spec.put("tls", Map.of("insecureSkipVerify", true));

    EmailConfig.Tls tls = parse(spec).value().tls();

    assertThat(tls).isNotNull();
    assertThat(tls.insecureSkipVerify()).isTrue();
  }

  @Test
  void insecureSkipVerifyExcludesKeyMaterial() {
    Map<String, Object> spec = validSpec();
    spec.put(
        "tls", Map.of("insecureSkipVerify", true, "ca", ref("t", "ca.crt"), "key", ref("t", "k")));

    assertThat(parse(spec).errors())
        .containsExactlyInAnyOrder(
            new FieldError("spec.tls.ca", "must not be set when insecureSkipVerify is true"),
            new FieldError("spec.tls.key", "must not be set when insecureSkipVerify is true"));
  }

  @Test
  void tlsWithoutCaIsRejectedUnlessVerificationIsSkipped() {
    Map<String, Object> spec = validSpec();
    spec.put("tls", Map.of("serverName", "smtp.example.com"));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.tls.ca",
                "is required unless insecureSkipVerify is true (it is the only trusted root)"));
  }

  @Test
  void clientCertificateWithoutKeyIsRejected() {
    Map<String, Object> spec = validSpec();
    spec.put("tls", Map.of("ca", ref("t", "ca.crt"), "cert", ref("t", "client.crt")));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.tls.key",
                "is required when cert is set (a client certificate needs its key)"));
  }

  @Test
  void secretInAnotherNamespaceIsRejected() {
    Map<String, Object> spec = validSpec();
    spec.put("authPassword", Map.of("name", "mail", "key", "password", "namespace", "other"));

    assertThat(parse(spec).errors())
        .containsExactly(
            new FieldError(
                "spec.authPassword.namespace",
                "a secret must be in the object's namespace \"" + NS + "\", was \"other\""));
  }

  @Test
  void requireTlsMustBeABoolean() {
    Map<String, Object> spec = validSpec();
    spec.put("requireTLS", "yes");

    assertThat(parse(spec).errors())
        .containsExactly(new FieldError("spec.requireTLS", "must be true or false, was \"yes\""));
  }
}
