package io.nm4j.channel.webhook.internal;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;

/**
 * The description of {@code WebhookReceiver} and {@code WebhookConfig}: what the provider parses.
 */
public final class WebhookKinds {

  /** An absolute http(s) URL with a host and no user info, query or fragment. */
  static final String URL = "^[hH][tT][tT][pP][sS]?://[^/?#@\\s]+(/[^?#\\s]*)?$";

  /** A DNS label, as namespace and Service names are. */
  static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  private static final KindDescription CONFIG = config();

  public static final ChannelDescription DESCRIPTION =
      ChannelDescription.of("webhook", receiver(), CONFIG)
          .withSettingsOptions(options())
          .withConfigBlock(configBlock());

  private WebhookKinds() {}

  private static KindDescription receiver() {
    return KindDescription.of(
        "WebhookReceiver",
        "A receiver of notifications as Alertmanager webhook (v4) JSON; the WebhookConfig it"
            + " selects says where they are posted.",
        Schemas.withTemplateFields(
                Schema.object()
                    .property(
                        "webhookConfigSelector",
                        Schemas.labelSelector(
                            "Which WebhookConfig to use among those the receiver may see; absent means"
                                + " the default WebhookConfig.")),
                WebhookBody.SLOTS)
            .build());
  }

  private static KindDescription config() {
    Schema service =
        Schema.object()
            .description("A Service in the cluster: scheme://name.namespace.svc:port/path.")
            .required(
                "namespace",
                Schema.string().pattern(DNS_LABEL).description("The Service's namespace."))
            .required("name", Schema.string().pattern(DNS_LABEL).description("The Service's name."))
            .property(
                "path",
                Schema.string()
                    .pattern("^[^?#]*$")
                    .description("The URL path, without query or fragment."))
            .property(
                "port",
                Schema.intOrString()
                    .defaultValue("443")
                    .description("The Service's port, 1..65535.")
                    .rule(
                        "type(self) == int ? self >= 1 && self <= 65535"
                            + " : self.matches('^-?[0-9]{1,18}$') && int(self) >= 1"
                            + " && int(self) <= 65535",
                        "must be a port 1..65535"))
            .property(
                "scheme",
                Schema.string()
                    .enumValues("", "http", "https")
                    .defaultValue("http")
                    .description("http or https."))
            .build();
    return KindDescription.of(
        "WebhookConfig",
        "Where webhook notifications are posted (a URL or a Service) and how (authentication,"
            + " proxy, TLS).",
        Schema.object()
            .property(
                "url",
                Schema.string()
                    .pattern(URL)
                    .description(
                        "An absolute http(s) URL without user info, query or fragment (put"
                            + " credentials into httpConfig)."))
            .property("service", service)
            .property(
                "httpConfig",
                Schemas.httpClientConfig(
                    "Authentication, proxy and TLS of the requests; without TLS settings HTTPS"
                        + " verifies against the JVM's trusted roots."))
            .property(
                "urlSecret",
                Schemas.secretKeySelector("From notification-manager 0.1; give url instead.")
                    .toBuilder()
                    .ignored()
                    .build())
            .property(
                "httpConfigSelector",
                Schemas.labelSelector("From notification-manager 0.1; give httpConfig instead.")
                    .toBuilder()
                    .ignored()
                    .build())
            .rule("has(self.url) || has(self.service)", "one of url or service is required")
            .rule(
                "!(has(self.url) && has(self.service))",
                "set only one of url and service, not both")
            .build());
  }

  /**
   * The destination fields of a v2beta2 webhook block: those of the config kind, with
   * notification-manager's {@code tlsConfig}, which trusts the JVM's roots without {@code rootCA}.
   */
  private static Schema configBlock() {
    return java.util.Objects.requireNonNull(CONFIG.spec()).toBuilder()
        .property(
            "httpConfig",
            Schemas.httpClientConfig(
                "Authentication, proxy and TLS of the requests; without rootCA HTTPS verifies"
                    + " against the JVM's trusted roots.",
                false))
        .build();
  }

  /** The v1alpha1 {@code spec.receivers.options.webhook} block of the settings. */
  private static Schema options() {
    return Schemas.notificationManagerOptions("Webhook");
  }
}
