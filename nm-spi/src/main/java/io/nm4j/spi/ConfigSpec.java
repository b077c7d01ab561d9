package io.nm4j.spi;

/** The typed spec of a channel's config kind, e.g. {@code EmailConfig}. */
public interface ConfigSpec extends ChannelSpec {}
