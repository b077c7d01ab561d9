package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.FieldError;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookConfigValidationTest {
  private final WebhookChannelProvider provider = new WebhookChannelProvider();
  private static final Map<String, Object> REF = Map.of("name", "s", "key", "k");

  private List<FieldError> errors(Map<String, Object> spec) {
    Parsed<WebhookConfig> p =
        provider.parseConfig(SpecReader.of(spec, "kubesphere-monitoring-system"));
    return p.errors();
  }

  private List<String> fields(Map<String, Object> spec) {
    return errors(spec).stream().map(FieldError::field).toList();
  }

  @Test
  void urlAndServiceTogetherAreRejected() {
    assertThat(
            fields(
                Map.of(
                    "url",
                    "https://a.example/x",
                    "service",
                    Map.of("namespace", "n", "name", "s"))))
        .containsExactly("spec");
  }

  @Test
  void urlMustBeAbsoluteHttpWithoutFragment() {
    assertThat(fields(Map.of("url", "ftp://a.example/x"))).containsExactly("spec.url");
    assertThat(fields(Map.of("url", "/relative"))).containsExactly("spec.url");
    assertThat(fields(Map.of("url", "https://a.example/x#frag"))).containsExactly("spec.url");
    assertThat(fields(Map.of("url", "http://a.example:8080/x"))).isEmpty();
  }

  @Test
  void urlErrorsNeverRepeatTheQueryOrUserInfo() {
    assertThat(errors(Map.of("url", "https://user:pw-9x@a.example/x?token=tok-9x")))
        .extracting(FieldError::message)
        .allSatisfy(m -> assertThat(m).doesNotContain("pw-9x").doesNotContain("tok-9x"))
        .hasSize(2);
  }

  @Test
  void serviceNeedsNamespaceAndNameAndAKnownScheme() {
    assertThat(fields(Map.of("service", Map.of("scheme", "ftp", "port", 70000))))
        .containsExactlyInAnyOrder(
            "spec.service.namespace",
            "spec.service.name",
            "spec.service.scheme",
            "spec.service.port");
  }

  @Test
  void basicAuthNeedsAUsernameButNotAPassword() {
    assertThat(
            fields(Map.of("url", "https://a.example", "httpConfig", Map.of("basicAuth", Map.of()))))
        .containsExactly("spec.httpConfig.basicAuth.username");
  }

  @Test
  void insecureSkipVerifyExcludesCertAndKeyToo() {
    assertThat(
            fields(
                Map.of(
                    "url",
                    "https://a.example",
                    "httpConfig",
                    Map.of(
                        "tlsConfig", Map.of("insecureSkipVerify", true, "cert", REF, "key", REF)))))
        .containsExactlyInAnyOrder(
            "spec.httpConfig.tlsConfig.cert", "spec.httpConfig.tlsConfig.key");
  }

  @Test
  void keyWithoutCertIsRejected() {
    assertThat(
            fields(
                Map.of(
                    "url",
                    "https://a.example",
                    "httpConfig",
                    Map.of("tlsConfig", Map.of("ca", REF, "key", REF)))))
        .containsExactly("spec.httpConfig.tlsConfig.cert");
  }

  @Test
  void proxyUrlMustBeHttp() {
    assertThat(
            fields(
                Map.of(
                    "url", "https://a.example", "httpConfig", Map.of("proxyUrl", "socks5://p:1"))))
        .containsExactly("spec.httpConfig.proxyUrl");
  }

  @Test
  void secretReferenceToAnotherNamespaceIsRejected() {
    assertThat(
            fields(
                Map.of(
                    "url",
                    "https://a.example",
                    "httpConfig",
                    Map.of(
                        "bearerToken", Map.of("name", "s", "key", "k", "namespace", "elsewhere")))))
        .containsExactly("spec.httpConfig.bearerToken.namespace");
  }

  @Test
  void rootCaAndClientCertificateAreTheLaterV1alpha1SpellingsOfCaCertAndKey() {
    Map<String, Object> tls =
        Map.of(
            "rootCA",
            Map.of("name", "s", "key", "ca"),
            "clientCertificate",
            Map.of(
                "cert", Map.of("name", "s", "key", "crt"), "key", Map.of("name", "s", "key", "k")));
    Parsed<WebhookConfig> parsed =
        provider.parseConfig(
            SpecReader.of(
                Map.of("url", "https://a.example/", "httpConfig", Map.of("tlsConfig", tls)),
                "kubesphere-monitoring-system"));

    WebhookConfig.TlsConfig parsedTls = parsed.value().httpConfig().tlsConfig();
    assertThat(parsedTls.ca().key()).isEqualTo("ca");
    assertThat(parsedTls.cert().key()).isEqualTo("crt");
    assertThat(parsedTls.key().key()).isEqualTo("k");
  }

  @Test
  void bothSpellingsAtOnceAreRejected() {
    Map<String, Object> tls =
        Map.of("ca", REF, "rootCA", REF, "clientCertificate", Map.of("cert", REF));
    assertThat(fields(Map.of("url", "https://a.example/", "httpConfig", Map.of("tlsConfig", tls))))
        .containsExactlyInAnyOrder(
            "spec.httpConfig.tlsConfig.rootCA", "spec.httpConfig.tlsConfig.clientCertificate.key");
  }
}
