package io.nm4j.core.internal.snapshot;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.internal.UnknownFields;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Schema;
import io.nm4j.spi.SpecReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Turns receivers and configs into typed specs through their channel's provider, recording every
 * problem of an object (unknown fields first, then the provider's errors) at once. One thread uses
 * a parser: it reuses one {@link UnknownFields} walker for every spec.
 */
public final class SpecParser {
  private final ChannelRegistry channels;
  private final String namespace;
  private final SnapshotProblems problems;
  private final UnknownFields unknownFields = new UnknownFields();

  public SpecParser(ChannelRegistry channels, String namespace, SnapshotProblems problems) {
    this.channels = channels;
    this.namespace = namespace;
    this.problems = problems;
  }

  /** The receiver's typed spec; {@code null} after its problems were recorded. */
  public @Nullable ParsedObject<ReceiverSpec> receiver(
      ConfigObject o, ChannelProvider<?, ?> provider) {
    // Not provider::parseReceiver, which would make a function for each receiver.
    return parse(o, provider, ChannelProvider::parseReceiver);
  }

  /** The config's typed spec; {@code null} after its problems were recorded. */
  public @Nullable ParsedObject<ConfigSpec> config(ConfigObject o, ChannelProvider<?, ?> provider) {
    return parse(o, provider, ChannelProvider::parseConfig);
  }

  private <T extends ChannelSpec> @Nullable ParsedObject<T> parse(
      ConfigObject o,
      ChannelProvider<?, ?> provider,
      BiFunction<ChannelProvider<?, ?>, SpecReader, Parsed<? extends T>> parser) {
    Map<String, Object> spec = specOf(o);
    if (spec == null) {
      return null;
    }
    List<FieldError> unknown = unknownFields(o.kind(), spec);
    // One ref for the problems and the result: a build parses tens of thousands of objects.
    ObjectRef ref = o.ref();
    Parsed<? extends T> parsed;
    try {
      parsed = parser.apply(provider, SpecReader.of(spec, namespace));
    } catch (RuntimeException e) {
      problems.error(ref, "spec", "channel " + provider.name() + " failed to parse it: " + e);
      return null;
    }
    if (!problems.report(ref, withUnknown(unknown, parsed.errors()))) {
      return null;
    }
    List<FieldError> notices = parsed.value().notices();
    for (int i = 0, n = notices.size(); i < n; i++) {
      FieldError notice = notices.get(i);
      problems.notice(ref, notice.field(), notice.message());
    }
    return new ParsedObject<>(o, provider, parsed.value(), ref);
  }

  /** The object's {@code spec}: empty when absent, {@code null} (reported) when not an object. */
  @SuppressWarnings("unchecked")
  public @Nullable Map<String, Object> specOf(ConfigObject o) {
    Object spec = o.body().get("spec");
    if (spec == null) {
      return Map.of();
    }
    if (spec instanceof Map<?, ?> fields) {
      // What ConfigObject.spec() gives, without looking the spec up a second time.
      return (Map<String, Object>) fields;
    }
    problems.error(o.ref(), "spec", "must be an object");
    return null;
  }

  /** The fields of a spec its kind's description does not know; none for an undescribed kind. */
  private List<FieldError> unknownFields(String kind, Map<String, Object> spec) {
    KindDescription description = channels.description(kind);
    Schema schema = description == null ? null : description.spec();
    return schema == null ? List.of() : unknownFields.check(schema, spec, "spec");
  }

  /**
   * Unknown fields first, then the provider's errors except those about an unknown field or what is
   * below it (a provider may name an unknown field in its own words).
   */
  public static List<FieldError> withUnknown(List<FieldError> unknown, List<FieldError> parsed) {
    if (unknown.isEmpty()) {
      return parsed;
    }
    List<FieldError> all = new ArrayList<>(unknown);
    for (FieldError e : parsed) {
      boolean covered = false;
      for (FieldError u : unknown) {
        String f = e.field();
        covered |=
            f.equals(u.field()) || f.startsWith(u.field() + ".") || f.startsWith(u.field() + "[");
      }
      if (!covered) {
        all.add(e);
      }
    }
    return all;
  }
}
