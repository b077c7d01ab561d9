package io.nm4j.k8s;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A channel written as a third party would, against the SPI alone: {@code PagerReceiver} (served
 * under the plural {@code pagingreceivers}, to show plurals come from the description) and {@code
 * PagerConfig}. Nothing in this module or the core knows these kinds.
 */
public final class PagerChannelProvider
    implements ChannelProvider<
        PagerChannelProvider.PagerReceiver, PagerChannelProvider.PagerConfig> {

  /** A pager channel, and which config posts to it. */
  public record PagerReceiver(String channel, @Nullable LabelSelector pagerConfigSelector)
      implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return pagerConfigSelector;
    }
  }

  /** The token that posts. */
  public record PagerConfig(SecretKeySelector token) implements ConfigSpec {
    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      return Map.of("spec.token", token);
    }
  }

  static final ChannelDescription DESCRIPTION =
      ChannelDescription.of(
          "pager",
          KindDescription.of(
                  "PagerReceiver",
                  "A pager channel.",
                  Schema.object()
                      .required("channel", Schema.string().pattern(Schemas.NOT_BLANK))
                      .property("pagerConfigSelector", Schemas.labelSelector("Which config."))
                      .build())
              .withPlural("pagingreceivers"),
          KindDescription.of(
              "PagerConfig",
              "The token that pages.",
              Schema.object().required("token", Schemas.secretKeySelector("The token.")).build()));

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public PagerChannelProvider() {}

  @Override
  public String name() {
    return "pager";
  }

  @Override
  public String receiverKind() {
    return "PagerReceiver";
  }

  @Override
  public String configKind() {
    return "PagerConfig";
  }

  @Override
  public String selectorField() {
    return "pagerConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return DESCRIPTION;
  }

  @Override
  public Parsed<PagerReceiver> parseReceiver(SpecReader spec) {
    String channel = spec.requiredString("channel");
    LabelSelector selector = spec.selector(selectorField());
    return Parsed.of(new PagerReceiver(channel, selector), spec.errors());
  }

  @Override
  public Parsed<PagerConfig> parseConfig(SpecReader spec) {
    SecretKeySelector token = spec.requiredSecretRef("token");
    return spec.errors().isEmpty()
        ? Parsed.valid(new PagerConfig(Objects.requireNonNull(token)))
        : Parsed.invalid(spec.errors());
  }
}
