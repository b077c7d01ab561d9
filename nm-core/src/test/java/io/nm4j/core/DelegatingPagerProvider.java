package io.nm4j.core;

import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;

/**
 * A pager channel that hands every call to a {@link PagerChannelProvider}, for tests that change
 * one thing about it (its description, one parser) and keep the rest: without a channel of its own,
 * so a build only reads its objects.
 */
class DelegatingPagerProvider
    implements ChannelProvider<
        PagerChannelProvider.PagerReceiver, PagerChannelProvider.PagerConfig> {
  private final PagerChannelProvider pager;

  DelegatingPagerProvider(PagerChannelProvider pager) {
    this.pager = pager;
  }

  @Override
  public String name() {
    return pager.name();
  }

  @Override
  public String receiverKind() {
    return pager.receiverKind();
  }

  @Override
  public String configKind() {
    return pager.configKind();
  }

  @Override
  public String selectorField() {
    return pager.selectorField();
  }

  @Override
  public Parsed<PagerChannelProvider.PagerReceiver> parseReceiver(SpecReader spec) {
    return pager.parseReceiver(spec);
  }

  @Override
  public Parsed<PagerChannelProvider.PagerConfig> parseConfig(SpecReader spec) {
    return pager.parseConfig(spec);
  }
}
