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
 * A channel written as a third party would, against the SPI alone: {@code TeamsReceiver} (served
 * under the plural {@code msteamsreceivers}, to show plurals come from the description) and {@code
 * TeamsConfig}. Nothing in this module or the core knows these kinds.
 */
public final class TeamsChannelProvider
    implements ChannelProvider<
        TeamsChannelProvider.TeamsReceiver, TeamsChannelProvider.TeamsConfig> {

  /** A Teams channel, and which config posts to it. */
  public record TeamsReceiver(String channel, @Nullable LabelSelector teamsConfigSelector)
      implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return teamsConfigSelector;
    }
  }

  /** The token that posts. */
  public record TeamsConfig(SecretKeySelector token) implements ConfigSpec {
    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      return Map.of("spec.token", token);
    }
  }

  static final ChannelDescription DESCRIPTION =
      ChannelDescription.of(
          "teams",
          KindDescription.of(
                  "TeamsReceiver",
                  "A Microsoft Teams channel.",
                  Schema.object()
                      .required("channel", Schema.string().pattern(Schemas.NOT_BLANK))
                      .property("teamsConfigSelector", Schemas.labelSelector("Which config."))
                      .build())
              .withPlural("msteamsreceivers"),
          KindDescription.of(
              "TeamsConfig",
              "The token that posts to Teams.",
              Schema.object().required("token", Schemas.secretKeySelector("The token.")).build()));

  /** Found by {@link java.util.ServiceLoader}, or registered explicitly. */
  public TeamsChannelProvider() {}

  @Override
  public String name() {
    return "teams";
  }

  @Override
  public String receiverKind() {
    return "TeamsReceiver";
  }

  @Override
  public String configKind() {
    return "TeamsConfig";
  }

  @Override
  public String selectorField() {
    return "teamsConfigSelector";
  }

  @Override
  public ChannelDescription description() {
    return DESCRIPTION;
  }

  @Override
  public Parsed<TeamsReceiver> parseReceiver(SpecReader spec) {
    String channel = spec.requiredString("channel");
    LabelSelector selector = spec.selector(selectorField());
    return Parsed.of(new TeamsReceiver(channel, selector), spec.errors());
  }

  @Override
  public Parsed<TeamsConfig> parseConfig(SpecReader spec) {
    SecretKeySelector token = spec.requiredSecretRef("token");
    return spec.errors().isEmpty()
        ? Parsed.valid(new TeamsConfig(Objects.requireNonNull(token)))
        : Parsed.invalid(spec.errors());
  }
}
