package io.nm4j.core.internal.snapshot;

import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectRef;
import java.util.Map;

/**
 * A valid receiver or config: the object as published, its channel's provider and the typed spec
 * the provider parsed from it.
 *
 * @param object the object
 * @param provider the channel provider of its kind
 * @param spec its typed spec
 * @param ref {@code Kind/name}
 */
public record ParsedObject<T extends ChannelSpec>(
    ConfigObject object, ChannelProvider<?, ?> provider, T spec, ObjectRef ref) {

  public ParsedObject(ConfigObject object, ChannelProvider<?, ?> provider, T spec) {
    this(object, provider, spec, object.ref());
  }

  public Map<String, String> labels() {
    return object.metadata().labels();
  }

  public String kind() {
    return object.kind();
  }

  public String name() {
    return object.metadata().name();
  }
}
