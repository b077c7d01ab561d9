package io.nm4j.core;

import io.nm4j.spi.Channel;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import io.nm4j.spi.SpecReader;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A third-party style channel the core knows nothing about, proving that every kind, field and rule
 * comes from the provider: {@code PagerReceiver} with {@code to} and {@code pagerConfigSelector},
 * {@code PagerConfig} with a {@code token} secret and an optional {@code host} it would connect to.
 */
final class PagerChannelProvider
    implements ChannelProvider<
        PagerChannelProvider.PagerReceiver, PagerChannelProvider.PagerConfig> {

  record PagerReceiver(String to, @Nullable LabelSelector pagerConfigSelector)
      implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return pagerConfigSelector;
    }
  }

  record PagerConfig(@Nullable SecretKeySelector token, @Nullable String host)
      implements ConfigSpec {
    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      return token == null ? Map.of() : Map.of("spec.token", token);
    }

    @Override
    public Map<String, io.nm4j.spi.Endpoint> endpoints() {
      return host == null ? Map.of() : Map.of("spec.host", new io.nm4j.spi.Endpoint(host, 443));
    }
  }

  private final String prefix;
  private io.nm4j.spi.@Nullable TemplateSlots templateSlots;
  private final java.util.function.@Nullable Function<
          io.nm4j.spi.ChannelContext, Channel<PagerReceiver, PagerConfig>>
      channel;

  PagerChannelProvider() {
    this("Pager");
  }

  /** A provider of the kinds {@code <prefix>Receiver} and {@code <prefix>Config}. */
  PagerChannelProvider(String prefix) {
    this(prefix, null);
  }

  /** A provider that also sends, through the channel {@code channel} makes. */
  PagerChannelProvider(
      String prefix,
      java.util.function.@Nullable Function<
              io.nm4j.spi.ChannelContext, Channel<PagerReceiver, PagerConfig>>
          channel) {
    this.prefix = prefix;
    this.channel = channel;
  }

  @Override
  public java.util.Optional<Channel<PagerReceiver, PagerConfig>> channel(
      io.nm4j.spi.ChannelContext context) {
    return channel == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(channel.apply(context));
  }

  /** This provider declaring the templates a custom one may replace, as a rendering channel. */
  PagerChannelProvider withTemplateSlots(io.nm4j.spi.TemplateSlots slots) {
    this.templateSlots = slots;
    return this;
  }

  @Override
  public io.nm4j.spi.@Nullable TemplateSlots templateSlots() {
    return templateSlots;
  }

  @Override
  public String name() {
    return prefix.toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String receiverKind() {
    return prefix + "Receiver";
  }

  @Override
  public String configKind() {
    return prefix + "Config";
  }

  @Override
  public String selectorField() {
    return name() + "ConfigSelector";
  }

  @Override
  public Parsed<PagerReceiver> parseReceiver(SpecReader spec) {
    String to = spec.requiredString("to");
    LabelSelector selector = spec.selector(selectorField());
    return Parsed.of(new PagerReceiver(to, selector), spec.errors());
  }

  @Override
  public Parsed<PagerConfig> parseConfig(SpecReader spec) {
    return Parsed.of(new PagerConfig(spec.secretRef("token"), spec.string("host")), spec.errors());
  }
}
