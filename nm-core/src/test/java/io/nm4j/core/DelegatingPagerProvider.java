package io.nm4j.core;

import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;

/**
 * A pager channel that hands every call to a {@link PagerChannelProvider}, for tests that change
 * one thing about it (its description, one parser) and keep the rest: without a channel of its own,
 * so a build only reads its objects.
 */
class DelegatingPagerProvider extends PagerKindsProvider<PagerChannelProvider.PagerReceiver> {

  DelegatingPagerProvider(PagerChannelProvider pager) {
    super(pager);
  }

  @Override
  public Parsed<PagerChannelProvider.PagerReceiver> parseReceiver(SpecReader spec) {
    return pager.parseReceiver(spec);
  }
}
