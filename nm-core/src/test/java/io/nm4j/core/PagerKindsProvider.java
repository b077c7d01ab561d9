package io.nm4j.core;

import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SpecReader;

/**
 * A pager channel's kinds, names and config parser, handed to a {@link PagerChannelProvider}, for
 * tests that parse its receivers their own way: without a channel of its own, so a build only reads
 * its objects.
 *
 * @param <R> the receivers the test's parser gives
 */
abstract class PagerKindsProvider<R extends ReceiverSpec>
    implements ChannelProvider<R, PagerChannelProvider.PagerConfig> {
  final PagerChannelProvider pager;

  PagerKindsProvider(PagerChannelProvider pager) {
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
  public abstract Parsed<R> parseReceiver(SpecReader spec);

  @Override
  public Parsed<PagerChannelProvider.PagerConfig> parseConfig(SpecReader spec) {
    return pager.parseConfig(spec);
  }
}
