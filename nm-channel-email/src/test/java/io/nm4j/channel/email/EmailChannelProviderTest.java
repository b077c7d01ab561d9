package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ChannelContext;
import io.nm4j.spi.ChannelProvider;
import java.time.Clock;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class EmailChannelProviderTest {

  @Test
  void serviceLoaderFindsTheProvider() {
    assertThat(ServiceLoader.load(ChannelProvider.class).stream().map(p -> p.get()))
        .anySatisfy(p -> assertThat(p).isInstanceOf(EmailChannelProvider.class));
  }

  @Test
  void providerNamesItsKindsAndSelectorField() {
    EmailChannelProvider provider = new EmailChannelProvider();

    assertThat(provider.name()).isEqualTo("email");
    assertThat(provider.receiverKind()).isEqualTo("EmailReceiver");
    assertThat(provider.configKind()).isEqualTo("EmailConfig");
    assertThat(provider.selectorField()).isEqualTo("emailConfigSelector");
    assertThat(provider.selectorFieldAliases()).isEmpty();
  }

  @Test
  void providerOffersTheEmailChannel() {
    ChannelContext context = new ChannelContext(Map.of(), Clock.systemUTC());

    assertThat(new EmailChannelProvider().channel(context))
        .get()
        .isInstanceOf(EmailChannel.class)
        .satisfies(c -> c.close());
  }

  @Test
  void malformedChannelOptionsAreRejectedNamingTheOption() {
    EmailChannelProvider provider = new EmailChannelProvider();

    assertThatThrownBy(
            () ->
                provider.channel(
                    new ChannelContext(Map.of("implicitTlsPorts", "465,smtps"), Clock.systemUTC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("email.implicitTlsPorts");
    assertThatThrownBy(
            () ->
                provider.channel(
                    new ChannelContext(Map.of("readTimeout", "10s"), Clock.systemUTC())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("email.readTimeout");
  }
}
