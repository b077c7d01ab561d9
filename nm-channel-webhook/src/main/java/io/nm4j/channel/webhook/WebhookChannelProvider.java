package io.nm4j.channel.webhook;

import io.nm4j.channel.webhook.internal.WebhookBody;
import io.nm4j.channel.webhook.internal.WebhookKinds;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TlsReferences;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The webhook channel's provider: kinds {@code WebhookReceiver} and {@code WebhookConfig}, selector
 * field {@code webhookConfigSelector}. Options ({@code webhook.} prefix): {@code connectTimeout}
 * and {@code readTimeout} as ISO-8601 durations ({@code PT5S}).
 */
public final class WebhookChannelProvider
    implements ChannelProvider<WebhookReceiver, WebhookConfig> {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public String receiverKind() {
    return "WebhookReceiver";
  }

  @Override
  public String configKind() {
    return "WebhookConfig";
  }

  @Override
  public String selectorField() {
    return "webhookConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return WebhookKinds.DESCRIPTION;
  }

  @Override
  public TemplateSlots templateSlots() {
    return WebhookBody.SLOTS;
  }

  @Override
  public Parsed<WebhookReceiver> parseReceiver(SpecReader spec) {
    WebhookReceiver receiver = new WebhookReceiver(spec.selector(selectorField()));
    return Parsed.of(receiver, spec.errors());
  }

  /**
   * notification-manager's v2beta2 webhook block names its {@code url} or {@code service} and
   * {@code httpConfig} itself and takes no {@code Config}: the block is read as this channel's
   * config too.
   */
  @Override
  public boolean receiverBlockHoldsConfig() {
    return true;
  }

  @Override
  public Parsed<WebhookConfig> parseConfig(SpecReader spec) {
    return config(spec, true);
  }

  /**
   * The block as notification-manager writes it: its {@code tlsConfig} ({@code rootCA}, {@code
   * clientCertificate}) trusts the JVM's roots without {@code rootCA}.
   */
  @Override
  public Parsed<WebhookConfig> parseConfigBlock(SpecReader block) {
    return config(block, false);
  }

  /**
   * @param caRequired whether a {@code tlsConfig} needs a CA unless it skips verification, as a
   *     v1alpha1 {@code WebhookConfig} does
   */
  private static Parsed<WebhookConfig> config(SpecReader spec, boolean caRequired) {
    String url = spec.string("url");
    if (url != null && url.isBlank()) {
      spec.error("url", "must not be empty");
      url = null;
    }
    boolean hasService = spec.has("service");
    if (url == null && !hasService && !spec.has("url")) {
      spec.error("", "one of url or service is required");
    }
    if (url != null && hasService) {
      spec.error("", "set only one of url and service, not both");
    }
    if (url != null) {
      checkUrl(spec, url);
    }
    WebhookConfig.Service service = null;
    SpecReader svc = spec.object("service");
    if (svc != null) {
      service = service(svc);
    }
    WebhookConfig.HttpConfig httpConfig = null;
    SpecReader http = spec.object("httpConfig");
    if (http != null) {
      httpConfig = httpConfig(http, caRequired);
    }
    if (!spec.errors().isEmpty()) {
      return Parsed.invalid(spec.errors());
    }
    return Parsed.valid(new WebhookConfig(url, service, httpConfig));
  }

  private static void checkUrl(SpecReader spec, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      spec.error("url", "must be an absolute http(s) URL, was not a URL: " + e.getReason());
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      spec.error("url", "must be an absolute http or https URL");
      return;
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      spec.error("url", "must name a host");
    }
    // Messages never repeat the offending part: user info and queries are where secrets hide.
    if (uri.getRawUserInfo() != null) {
      spec.error(
          "url", "must not contain user info; use httpConfig.basicAuth with a secret instead");
    }
    if (uri.getRawQuery() != null) {
      spec.error("url", "must not contain a query; put tokens in httpConfig (bearerToken) instead");
    }
    if (uri.getRawFragment() != null) {
      spec.error("url", "must not contain a fragment");
    }
  }

  private static WebhookConfig.@Nullable Service service(SpecReader svc) {
    String namespace = svc.requiredString("namespace");
    String name = svc.requiredString("name");
    if (!namespace.isEmpty() && !DNS_LABEL.matcher(namespace).matches()) {
      svc.error("namespace", "must be a DNS label (lower-case letters, digits, '-')");
    }
    if (!name.isEmpty() && !DNS_LABEL.matcher(name).matches()) {
      svc.error("name", "must be a DNS label (lower-case letters, digits, '-')");
    }
    String path = svc.string("path");
    if (path == null) {
      path = "";
    } else if (!path.isEmpty() && !path.startsWith("/")) {
      path = "/" + path;
    }
    if (path.contains("?") || path.contains("#")) {
      svc.error("path", "must not contain a query or fragment");
    }
    Integer port = svc.port("port");
    String scheme = svc.string("scheme");
    if (scheme == null || scheme.isEmpty()) {
      scheme = "http";
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      svc.error("scheme", "must be http or https, was \"" + scheme + "\"");
    }
    if (namespace.isEmpty() || name.isEmpty()) {
      return null;
    }
    return new WebhookConfig.Service(namespace, name, path, port == null ? 443 : port, scheme);
  }

  private static WebhookConfig.HttpConfig httpConfig(SpecReader http, boolean caRequired) {
    WebhookConfig.BasicAuth basicAuth = null;
    SpecReader basic = http.object("basicAuth");
    if (basic != null) {
      String username = basic.requiredString("username");
      // Optional in both of notification-manager's versions: the user then goes with an empty
      // password.
      SecretKeySelector password = basic.secretRef("password");
      if (!username.isEmpty()) {
        basicAuth = new WebhookConfig.BasicAuth(username, password);
      }
    }
    SecretKeySelector bearer = http.secretRef("bearerToken");
    if (basic != null && http.has("bearerToken")) {
      http.error("bearerToken", "must not be set together with basicAuth; choose one");
    }
    String proxyUrl = http.string("proxyUrl");
    if (proxyUrl != null && proxyUrl.isBlank()) {
      proxyUrl = null;
    }
    if (proxyUrl != null) {
      checkProxy(http, proxyUrl);
    }
    WebhookConfig.TlsConfig tls = null;
    SpecReader t = http.object("tlsConfig");
    if (t != null) {
      TlsReferences refs = TlsReferences.read(t, caRequired);
      tls =
          new WebhookConfig.TlsConfig(
              refs.ca(), refs.cert(), refs.key(), refs.serverName(), refs.insecureSkipVerify());
    }
    return new WebhookConfig.HttpConfig(basicAuth, bearer, proxyUrl, tls);
  }

  private static void checkProxy(SpecReader http, String proxyUrl) {
    try {
      URI uri = new URI(proxyUrl);
      if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
        http.error("proxyUrl", "must be an http://host:port URL");
      } else if (uri.getRawUserInfo() != null) {
        http.error("proxyUrl", "must not contain user info");
      }
    } catch (URISyntaxException e) {
      http.error("proxyUrl", "must be an http://host:port URL");
    }
  }

  @Override
  public Optional<Channel<WebhookReceiver, WebhookConfig>> channel(ChannelContext context) {
    HttpClientFactory.Builder http = HttpClientFactory.builder();
    Duration connect = duration(context, "connectTimeout");
    if (connect != null) {
      http.connectTimeout(connect);
    }
    Duration read = duration(context, "readTimeout");
    if (read != null) {
      http.readTimeout(read);
    }
    return Optional.of(new WebhookChannel(http.build(), context.clock(), true));
  }

  private static @Nullable Duration duration(ChannelContext context, String option) {
    String v = context.option(option);
    if (v == null) {
      return null;
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "webhook." + option + ": must be an ISO-8601 duration such as PT5S, was \"" + v + "\"",
          e);
    }
  }
}
