package io.nm4j.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The egress policy holds for every address a client actually connects to. */
class EgressTest {
  private final MockWebServer server = new MockWebServer();
  private final MockWebServer other = new MockWebServer();
  private final HttpClientFactory factory = HttpClientFactory.create();

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
    other.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    server.close();
    other.close();
    factory.close();
  }

  private SendResult post(HttpSettings settings, HttpUrl url) {
    return Posts.post(factory, settings, url);
  }

  @Test
  void aDeniedAddressIsAPermanentEgressFailureAndNothingReachesIt() {
    server.enqueue(
        new MockResponse.Builder().code(500).status("HTTP/1.1 500 SSH-2.0-OpenSSH_9.6").build());
    SendResult r =
        post(
            HttpSettings.builder().egress(EgressPolicy.tenantDefault()).build(),
            server.url("/hook").newBuilder().host("127.0.0.1").build());
    assertThat(r).isInstanceOf(SendResult.Failed.class);
    SendResult.Failed f = (SendResult.Failed) r;
    assertThat(f.reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(f.retryable()).isFalse();
    assertThat(f.detail())
        .isEqualTo(
            "POST http://127.0.0.1:"
                + server.getPort()
                + "/hook: egress denied: 127.0.0.1 is loopback (127.0.0.0/8)")
        .doesNotContain("500", "SSH");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aHostNameResolvingToADeniedAddressIsRefusedAfterResolution() {
    HttpUrl byName = server.url("/hook").newBuilder().host("localhost").build();
    SendResult r =
        post(HttpSettings.builder().egress(EgressPolicy.tenantDefault()).build(), byName);
    assertThat(((SendResult.Failed) r).reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(((SendResult.Failed) r).detail()).contains("is loopback");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void theProxyIsTheAddressChecked() {
    HttpSettings viaProxy =
        HttpSettings.builder()
            .egress(EgressPolicy.tenantDefault())
            .proxyUrl("http://127.0.0.1:" + server.getPort())
            .build();
    SendResult r = post(viaProxy, HttpUrl.get("http://hooks.example.com/hook"));
    assertThat(((SendResult.Failed) r).reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void aRedirectToADeniedAddressIsNeverFollowed() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .code(307)
            .setHeader("Location", other.url("/internal").toString())
            .build());
    EgressPolicy policy =
        EgressPolicy.builder().allow("127.0.0.1/32").denyLocalPort(other.getPort()).build();
    SendResult r = post(HttpSettings.builder().egress(policy).build(), server.url("/hook"));
    assertThat(((SendResult.Failed) r).reason()).isEqualTo(Reason.REJECTED);
    assertThat(((SendResult.Failed) r).detail())
        .contains("HTTP 307")
        .endsWith("redirect to " + other.url("/internal") + " not followed");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(other.getRequestCount()).isZero();
  }

  @Test
  void anAllowedAddressIsReachedAndEveryRequestCarriesTheOriginMark() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    HttpSettings settings =
        HttpSettings.builder()
            .egress(EgressPolicy.builder().allow("127.0.0.1/32").build())
            .origin("a1b2c3")
            .build();
    assertThat(post(settings, server.url("/hook"))).isInstanceOf(SendResult.Delivered.class);
    assertThat(server.takeRequest().getHeaders().get(SendRequest.ORIGIN_HEADER))
        .isEqualTo("a1b2c3");
  }

  @Test
  void aRequestBuiltWithTheOriginMarkCarriesItOnceAndAnyOtherValueOrAForgedSecondIsReplaced()
      throws Exception {
    OkHttpClient client = factory.client(HttpSettings.builder().origin("a1b2c3").build());
    List<List<String>> builtWith =
        List.of(List.of("a1b2c3"), List.of("forged"), List.of("forged", "a1b2c3"));
    for (List<String> values : builtWith) {
      server.enqueue(new MockResponse.Builder().code(200).build());
      Request.Builder request =
          new Request.Builder()
              .url(server.url("/hook"))
              .post(RequestBody.create("{}", MediaType.get("application/json")));
      values.forEach(v -> request.addHeader(SendRequest.ORIGIN_HEADER, v));
      assertThat(
              HttpOutcomes.execute(
                  client, request.build(), Instant.now().plusSeconds(10), Clock.systemUTC()))
          .isInstanceOf(SendResult.Delivered.class);
    }

    for (int i = 0; i < builtWith.size(); i++) {
      assertThat(server.takeRequest().getHeaders().values(SendRequest.ORIGIN_HEADER))
          .containsExactly("a1b2c3");
    }
  }

  @Test
  void aConnectionAnUnrestrictedClientPooledIsNeverLentToARestrictedOne() {
    server.enqueue(new MockResponse.Builder().code(200).build());
    server.enqueue(new MockResponse.Builder().code(200).build());
    HttpUrl url = server.url("/hook");
    assertThat(post(HttpSettings.DEFAULTS, url)).isInstanceOf(SendResult.Delivered.class);
    assertThat(factory.base().connectionPool().idleConnectionCount()).isEqualTo(1);

    SendResult r = post(HttpSettings.builder().egress(EgressPolicy.tenantDefault()).build(), url);
    assertThat(((SendResult.Failed) r).reason()).isEqualTo(Reason.EGRESS_DENIED);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void unrestrictedSettingsShareTheBaseClient() {
    assertThat(factory.client(HttpSettings.builder().egress(EgressPolicy.UNRESTRICTED).build()))
        .isSameAs(factory.base());
  }
}
