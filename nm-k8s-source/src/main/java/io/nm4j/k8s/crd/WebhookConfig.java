package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** Where and how webhook notifications are posted: a URL or an in-cluster Service. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class WebhookConfig extends CustomResource<WebhookConfig.Spec, Void>
    implements Namespaced {

  /** The spec of a {@code WebhookConfig}; one of {@code url} and {@code service} is required. */
  public record Spec(
      @Nullable String url, @Nullable ServiceReference service, @Nullable HttpConfig httpConfig) {}

  /** A Service in the cluster; port defaults to 443, scheme to http. */
  public record ServiceReference(
      @Required String namespace,
      @Required String name,
      @Nullable String path,
      @Nullable Integer port,
      @Nullable String scheme) {}

  /** Authentication, proxy and TLS of the webhook's HTTP client. */
  public record HttpConfig(
      @Nullable BasicAuth basicAuth,
      @Nullable SecretKeySelector bearerToken,
      @Nullable String proxyUrl,
      @Nullable TlsConfig tlsConfig) {}

  /** HTTP basic authentication; the password comes from a Secret. */
  public record BasicAuth(@Nullable String username, @Nullable SecretKeySelector password) {}
}
