package io.nm4j.test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.SpecReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Manifests of a channel module's test resources ({@code /manifests/<file>}), read as a config
 * source hands them over, so channel tests can parse the shared fixture objects with their
 * provider.
 */
public final class TestManifests {
  private static final YAMLMapper YAML = new YAMLMapper();

  private TestManifests() {}

  /** One object of a manifest file. */
  public record Manifest(String kind, String name, String namespace, Map<String, Object> spec) {
    public SpecReader reader() {
      return SpecReader.of(spec, namespace);
    }
  }

  /** Every object of {@code manifests/<file>}, in order. */
  @SuppressWarnings("unchecked")
  public static List<Manifest> load(String file) {
    URL url =
        Objects.requireNonNull(
            TestManifests.class.getResource("/manifests/" + file), "no test resource " + file);
    List<Manifest> out = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> docs =
        YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(url.openStream())) {
      while (docs.hasNext()) {
        Map<String, Object> doc = docs.next();
        Map<String, Object> meta = (Map<String, Object>) doc.get("metadata");
        Object spec = doc.get("spec");
        out.add(
            new Manifest(
                (String) doc.get("kind"),
                (String) meta.get("name"),
                (String) meta.get("namespace"),
                spec == null ? Map.of() : (Map<String, Object>) spec));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The object of {@code kind} named {@code name} in {@code manifests/<file>}. */
  public static Manifest find(String file, String kind, String name) {
    return load(file).stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + file));
  }

  /** The faulty object of an {@code invalid/} file: the last one. */
  public static Manifest lastOf(String file) {
    List<Manifest> all = load(file);
    return all.get(all.size() - 1);
  }

  /** The objects of {@code manifests/<file>} whose kind {@code provider} parses, in order. */
  public static List<Manifest> ofKinds(String file, ChannelProvider<?, ?> provider) {
    return load(file).stream()
        .filter(
            m -> m.kind().equals(provider.receiverKind()) || m.kind().equals(provider.configKind()))
        .toList();
  }

  /** Parses an object of {@code provider}'s receiver or config kind with {@code provider}. */
  public static Parsed<?> parse(ChannelProvider<?, ?> provider, Manifest m) {
    return m.kind().equals(provider.receiverKind())
        ? provider.parseReceiver(m.reader())
        : provider.parseConfig(m.reader());
  }
}
