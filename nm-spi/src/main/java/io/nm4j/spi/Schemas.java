package io.nm4j.spi;

/**
 * Schema fragments every channel shares, so that a secret reference, a label selector, TLS and HTTP
 * client settings look and validate the same in every kind. Each matches what {@link SpecReader}
 * accepts for it.
 */
public final class Schemas {

  /** A string with at least one character that is not white space. */
  public static final String NOT_BLANK = "\\S";

  private Schemas() {}

  /**
   * A reference to one key of a {@code v1/Secret} in the object's namespace: {@code {name, key}}
   * (what {@link SpecReader#secretRef} reads). {@code namespace} is accepted only when it is the
   * object's own; {@code optional}, from Kubernetes' {@code SecretKeySelector}, is ignored (a
   * missing secret is always reported).
   */
  public static Schema secretKeySelector(String description) {
    return Schema.object()
        .description(description)
        .required("name", Schema.string().pattern(NOT_BLANK).description("The Secret's name."))
        .required(
            "key", Schema.string().pattern(NOT_BLANK).description("The key in the Secret's data."))
        .property(
            "namespace",
            Schema.string()
                .description(
                    "The Secret's namespace; when given it must be the object's own namespace."))
        .property(
            "optional",
            Schema.bool()
                .ignored()
                .description(
                    "From Kubernetes' SecretKeySelector. A secret or key that nm4j reads and"
                        + " cannot find is always reported; a delivery that needs it fails."))
        .build();
  }

  /**
   * A Kubernetes label selector (what {@link SpecReader#selector} reads): every {@code matchLabels}
   * pair and every {@code matchExpressions} requirement must hold; {@code {}} matches everything.
   */
  public static Schema labelSelector(String description) {
    Schema requirement =
        Schema.object()
            .description("A requirement on one label.")
            .required("key", Schema.string().minLength(1).description("The label's key."))
            .required(
                "operator",
                Schema.string()
                    .enumValues("In", "NotIn", "Exists", "DoesNotExist")
                    .description("How the label's value is compared with values."))
            .property(
                "values",
                Schema.array(Schema.string())
                    .description(
                        "At least one value for In and NotIn; none for Exists and DoesNotExist."))
            .rule(
                "self.operator in ['In', 'NotIn']"
                    + " ? has(self.values) && size(self.values) > 0"
                    + " : !has(self.values) || size(self.values) == 0",
                "In and NotIn need at least one value; Exists and DoesNotExist take none")
            .build();
    return Schema.object()
        .description(description)
        .property(
            "matchLabels",
            Schema.stringMap().description("Labels the object must have, with these values."))
        .property(
            "matchExpressions",
            Schema.array(requirement).description("Requirements the object's labels must meet."))
        .build();
  }

  /**
   * TLS settings of a connection: {@code ca} (the only trusted root), a client certificate {@code
   * cert} with its {@code key}, {@code serverName} and {@code insecureSkipVerify}. Without {@code
   * insecureSkipVerify}, {@code ca} is required; with it, none of {@code ca}, {@code cert} and
   * {@code key} may be set; {@code cert} and {@code key} go together.
   */
  public static Schema tlsConfig(String description) {
    return Schema.object()
        .description(description)
        .property("ca", secretKeySelector("The CA certificate (PEM), the only trusted root."))
        .property("cert", secretKeySelector("A client certificate (PEM), with key."))
        .property("key", secretKeySelector("The client certificate's private key (PEM)."))
        .property(
            "serverName",
            Schema.string().description("The host name the server's certificate must name."))
        .property(
            "insecureSkipVerify",
            Schema.bool()
                .defaultValue("false")
                .description("Accept any server certificate; excludes ca, cert and key."))
        .rule(
            "!(has(self.insecureSkipVerify) && self.insecureSkipVerify)"
                + " || !(has(self.ca) || has(self.cert) || has(self.key))",
            "ca, cert and key must not be set when insecureSkipVerify is true")
        .rule(
            "(has(self.insecureSkipVerify) && self.insecureSkipVerify) || has(self.ca)",
            "ca is required unless insecureSkipVerify is true")
        .rule("has(self.cert) == has(self.key)", "cert and key go together")
        .build();
  }

  /**
   * {@link #tlsConfig} plus the spellings of notification-manager's later v1alpha1 releases and of
   * v2beta2: {@code rootCA} for {@code ca} and {@code clientCertificate: {cert, key}} for {@code
   * cert} and {@code key} (one spelling or the other, not both), as {@link TlsReferences} reads
   * them.
   *
   * @param caRequired whether a CA is required unless verification is skipped, and key material
   *     excluded when it is (nm4j's v1alpha1 rules); without, the JVM's trusted roots are used and,
   *     with {@code insecureSkipVerify}, a CA is not used and a client certificate still presented
   *     (notification-manager's v2beta2)
   */
  public static Schema tlsConfigEitherSpelling(String description, boolean caRequired) {
    Schema clientCertificate =
        Schema.object()
            .description("A client certificate with its key; another spelling of cert and key.")
            .property("cert", secretKeySelector("The client certificate (PEM)."))
            .property("key", secretKeySelector("Its private key (PEM)."))
            .rule("has(self.cert) == has(self.key)", "cert and key go together")
            .build();
    String insecure = "(has(self.insecureSkipVerify) && self.insecureSkipVerify)";
    Schema.Builder tls =
        tlsConfig(description).toBuilder()
            .property("rootCA", secretKeySelector("Another spelling of ca."))
            .property("clientCertificate", clientCertificate)
            .clearRules();
    if (caRequired) {
      tls.rule(
          "!"
              + insecure
              + " || !(has(self.ca) || has(self.rootCA) || has(self.cert)"
              + " || has(self.key) || has(self.clientCertificate))",
          "ca, cert and key must not be set when insecureSkipVerify is true");
      tls.rule(
          insecure + " || has(self.ca) || has(self.rootCA)",
          "ca is required unless insecureSkipVerify is true");
    } else {
      tls.property(
          "insecureSkipVerify",
          Schema.bool()
              .defaultValue("false")
              .description(
                  "Accept any server certificate; a CA is then not used (a notice says so), a"
                      + " client certificate is still presented."));
    }
    return tls.rule("!(has(self.ca) && has(self.rootCA))", "give ca or rootCA, not both")
        .rule(
            "!(has(self.clientCertificate) && (has(self.cert) || has(self.key)))",
            "give cert and key or clientCertificate, not both")
        .rule("has(self.cert) == has(self.key)", "cert and key go together")
        .build();
  }

  /**
   * HTTP client settings as notification-manager's v1alpha1 {@code HTTPClientConfig} has them:
   * {@code basicAuth} or {@code bearerToken}, {@code proxyUrl} and {@code tlsConfig}. Its {@code
   * tlsConfig} is {@link #tlsConfigEitherSpelling} with {@code ca} required.
   */
  public static Schema httpClientConfig(String description) {
    return httpClientConfig(description, true);
  }

  /**
   * The same, {@code caRequired} saying whether its {@code tlsConfig} needs a CA unless it skips
   * verification (nm4j's v1alpha1 rule) or trusts the JVM's roots without one (notification-
   * manager's v2beta2 blocks).
   */
  public static Schema httpClientConfig(String description, boolean caRequired) {
    Schema basicAuth =
        Schema.object()
            .description("HTTP basic authentication.")
            .required("username", Schema.string().pattern(NOT_BLANK).description("The user."))
            .property(
                "password",
                secretKeySelector("The password; absent, the user is sent with an empty password."))
            .build();
    Schema tls =
        tlsConfigEitherSpelling(
            caRequired
                ? "TLS settings; without them HTTPS verifies against the JVM's trusted roots."
                : "TLS settings; without rootCA HTTPS verifies against the JVM's trusted roots.",
            caRequired);
    return Schema.object()
        .description(description)
        .property("basicAuth", basicAuth)
        .property("bearerToken", secretKeySelector("A bearer token, sent as Authorization."))
        .property(
            "proxyUrl",
            Schema.string()
                .pattern("^(\\s*|[hH][tT][tT][pP]://[^/?#@\\s]+([/?#]\\S*)?)$")
                .description("An HTTP proxy, http://host:port, without user info."))
        .property("tlsConfig", tls)
        .rule(
            "!(has(self.basicAuth) && has(self.bearerToken))",
            "basicAuth and bearerToken exclude each other")
        .build();
  }

  /**
   * The options notification-manager's v1alpha1 settings give every channel under {@code
   * spec.receivers.options.<block>}: {@code template} (the kind's template, read by the core) and
   * {@code notificationTimeout}, accepted and reported as ignored. A channel adds its own with
   * {@link Schema#toBuilder()}.
   */
  public static Schema notificationManagerOptions(String channel) {
    return Schema.object()
        .description(channel + " options: for every receiver of the kind.")
        .property(
            "notificationTimeout",
            Schema.integer()
                .format("int32")
                .ignored()
                .description(
                    "Every send is bounded by the server's send timeout (serve --send-timeout), the same for"
                        + " all channels."))
        .property(
            "template",
            Schema.string()
                .maxLength(MessageTemplates.MAX_NAME)
                .description(
                    "A key of the template set replacing the body's built-in template for"
                        + " receivers that name none."))
        .build();
  }

  /**
   * {@code spec} with the template fields of a receiver of a channel that renders from {@code
   * slots}: {@code template}, {@code tmplText}, {@code tmplType} (when the channel has types), its
   * title field, {@code language} and {@code timezone}. The core reads them ({@link
   * MessageTemplates}).
   */
  public static Schema.Builder withTemplateFields(Schema.Builder spec, TemplateSlots slots) {
    String name = "A key of the template set (tmplText, else the channel's or the settings' set)";
    spec.property(
            "template",
            Schema.string()
                .maxLength(MessageTemplates.MAX_NAME)
                .description(name + " that replaces the body's built-in template."))
        .property(
            "tmplText",
            Schema.object()
                .description("The receiver's template set: a ConfigMap its owner owns.")
                .required("name", Schema.string().description("The ConfigMap."))
                .property(
                    "key",
                    Schema.string().description("Its one key to use; every key when absent."))
                .property(
                    "namespace", Schema.string().description("The receiver's own namespace.")))
        .property(
            "language", Schema.string().description("The built-in words' language: en or zh-cn."))
        .property(
            "timezone",
            Schema.string().description("The zone times are shown in, e.g. Asia/Shanghai."));
    if (!slots.types().isEmpty()) {
      spec.property(
          "tmplType",
          Schema.string()
              .enumValues(slots.types().toArray(String[]::new))
              .description("Which body is rendered; default " + slots.body() + "."));
    }
    if (slots.titleField() != null) {
      spec.property(
          slots.titleField(),
          Schema.string()
              .maxLength(MessageTemplates.MAX_NAME)
              .description(name + " that replaces the built-in " + slots.title() + "."));
    }
    return spec;
  }
}
