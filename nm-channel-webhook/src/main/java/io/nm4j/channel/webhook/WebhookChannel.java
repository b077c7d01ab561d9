package io.nm4j.channel.webhook;

import io.nm4j.channel.webhook.internal.WebhookBody;
import io.nm4j.channel.webhook.internal.WebhookTargets;
import io.nm4j.http.HttpAuth;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.http.HttpOutcomes;
import io.nm4j.http.HttpSettings;
import io.nm4j.http.TlsSettings;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.Secret;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SendResult.Reason;
import java.time.Clock;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.jspecify.annotations.Nullable;

/**
 * POSTs a notification's alerts as Alertmanager's webhook (version 4) JSON to the config's URL or
 * service. Any 2xx is delivered; 429, 5xx, timeouts and connection errors are retryable; other 4xx
 * and TLS failures are permanent (see {@link HttpOutcomes}).
 */
public final class WebhookChannel implements Channel<WebhookReceiver, WebhookConfig> {
  private static final MediaType JSON = MediaType.get("application/json");

  private final HttpClientFactory http;
  private final Clock clock;
  private final boolean ownsFactory;
  private final WebhookTargets targets = new WebhookTargets();

  /**
   * A channel using the host's client factory, which the host closes.
   *
   * @param http where clients come from
   * @param clock the clock deadlines are measured with
   */
  public WebhookChannel(HttpClientFactory http, Clock clock) {
    this(http, clock, false);
  }

  WebhookChannel(HttpClientFactory http, Clock clock, boolean ownsFactory) {
    this.http = Objects.requireNonNull(http, "http");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsFactory = ownsFactory;
  }

  @Override
  public SendResult send(SendRequest<WebhookReceiver, WebhookConfig> request) {
    WebhookTargets.Target target = targets.of(request.config());
    HttpUrl url = target.url();
    if (url == null) {
      return SendResult.permanent(
          Reason.REJECTED, request.configName("WebhookConfig") + ": target is not an http(s) URL");
    }
    OkHttpClient client = target.client(request.egress(), request.origin());
    if (client == null) {
      ClientOrRefusal built = client(request);
      if (built.refusal() != null) {
        return built.refusal();
      }
      client = Objects.requireNonNull(built.client());
      target.used(request.egress(), request.origin(), client);
    }
    WebhookBody.Rendered body = WebhookBody.of(request);
    Request.Builder post =
        new Request.Builder()
            .url(url)
            .addHeader("User-Agent", "nm4j")
            .post(RequestBody.create(body.bytes(), JSON));
    if (!request.origin().isEmpty()) {
      // the client's interceptor would otherwise copy the request to add it
      post.header(SendRequest.ORIGIN_HEADER, request.origin());
    }
    return ChannelTemplates.annotate(
        HttpOutcomes.execute(client, post.build(), request.deadline(), clock), body.problem());
  }

  /**
   * The client for this send's settings, with the secrets it names resolved now; or the {@link
   * SendResult} of a secret that is missing or settings the factory refuses.
   */
  private ClientOrRefusal client(SendRequest<WebhookReceiver, WebhookConfig> request) {
    String config = request.configName("WebhookConfig");
    // Everything the config names (URL, service, proxy) is the owner's choice: the owner's egress
    // policy applies to all of it.
    HttpSettings.Builder settings = HttpSettings.forSend(request);
    WebhookConfig.HttpConfig hc = request.config().httpConfig();
    if (hc != null) {
      settings.proxyUrl(hc.proxyUrl());
      WebhookConfig.BasicAuth basic = hc.basicAuth();
      if (basic != null) {
        Secret password =
            basic.password() == null
                ? Secret.of("")
                : request.secret(WebhookConfig.BASIC_AUTH_PASSWORD);
        if (password == null) {
          return ClientOrRefusal.refused(
              SendResult.missingSecret(
                  config + ": " + WebhookConfig.BASIC_AUTH_PASSWORD, basic.password()));
        }
        settings.auth(HttpAuth.basic(basic.username(), password));
      }
      if (hc.bearerToken() != null) {
        Secret token = request.secret(WebhookConfig.BEARER_TOKEN);
        if (token == null) {
          return ClientOrRefusal.refused(
              SendResult.missingSecret(
                  config + ": " + WebhookConfig.BEARER_TOKEN, hc.bearerToken()));
        }
        try {
          settings.auth(HttpAuth.bearer(token));
        } catch (IllegalArgumentException e) {
          return ClientOrRefusal.refused(
              SendResult.permanent(
                  Reason.REJECTED,
                  config + ": " + WebhookConfig.BEARER_TOKEN + ": " + e.getMessage()));
        }
      }
      WebhookConfig.TlsConfig tls = hc.tlsConfig();
      if (tls != null) {
        Secret ca = null;
        Secret cert = null;
        Secret key = null;
        // As notification-manager: without verification the CA is not used, a client certificate
        // still is.
        if (tls.ca() != null
            && !tls.insecureSkipVerify()
            && (ca = request.secret(WebhookConfig.TLS_CA)) == null) {
          return ClientOrRefusal.refused(
              SendResult.missingSecret(config + ": " + WebhookConfig.TLS_CA, tls.ca()));
        }
        if (tls.cert() != null && (cert = request.secret(WebhookConfig.TLS_CERT)) == null) {
          return ClientOrRefusal.refused(
              SendResult.missingSecret(config + ": " + WebhookConfig.TLS_CERT, tls.cert()));
        }
        if (tls.key() != null && (key = request.secret(WebhookConfig.TLS_KEY)) == null) {
          return ClientOrRefusal.refused(
              SendResult.missingSecret(config + ": " + WebhookConfig.TLS_KEY, tls.key()));
        }
        settings.tls(new TlsSettings(ca, cert, key, tls.serverName(), tls.insecureSkipVerify()));
      }
    }
    try {
      return new ClientOrRefusal(http.client(settings.build()), null);
    } catch (IllegalArgumentException e) {
      // Messages of the factory name the part (ca, cert, key, proxyUrl), never its content.
      String field =
          e.getMessage() != null && e.getMessage().startsWith("proxyUrl")
              ? "spec.httpConfig."
              : "spec.httpConfig.tlsConfig.";
      return ClientOrRefusal.refused(
          SendResult.permanent(Reason.TLS_FAILED, config + ": " + field + e.getMessage()));
    }
  }

  private record ClientOrRefusal(@Nullable OkHttpClient client, @Nullable SendResult refusal) {
    static ClientOrRefusal refused(SendResult refusal) {
      return new ClientOrRefusal(null, refusal);
    }
  }

  @Override
  public void close() {
    if (ownsFactory) {
      http.close();
    }
  }
}
