package io.nm4j.k8s.crd;

import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import org.jspecify.annotations.Nullable;

/** SMTP server, sender and credentials of email notifications. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
public final class EmailConfig extends CustomResource<EmailConfig.Spec, Void>
    implements Namespaced {

  /** The spec of an {@code EmailConfig}. */
  public record Spec(
      @Required String from,
      @Required HostPort smartHost,
      @Nullable String hello,
      @Nullable String authUsername,
      @Nullable String authIdentify,
      @Nullable SecretKeySelector authPassword,
      @Nullable SecretKeySelector authSecret,
      @Nullable Boolean requireTLS,
      @Nullable TlsConfig tls) {}

  /** A host and port; v1alpha1 writes the port as a string ({@code "25"}), a number is accepted. */
  public record HostPort(@Required String host, @Required IntOrString port) {}
}
