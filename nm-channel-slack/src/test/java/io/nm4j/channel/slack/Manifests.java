package io.nm4j.channel.slack;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.nm4j.spi.SpecReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The example manifests of the test resources, read as a config source would hand them over. */
final class Manifests {
  private static final YAMLMapper YAML = new YAMLMapper();

  private Manifests() {}

  /** One object of a manifest file. */
  record Manifest(String kind, String name, String namespace, Map<String, Object> spec) {
    SpecReader reader() {
      return SpecReader.of(spec, namespace);
    }
  }

  /** Every object of {@code manifests/<file>}, in order. */
  @SuppressWarnings("unchecked")
  static List<Manifest> load(String file) {
    URL url =
        Objects.requireNonNull(
            Manifests.class.getResource("/manifests/" + file), "no test resource " + file);
    List<Manifest> out = new ArrayList<>();
    try (MappingIterator<Map<String, Object>> docs =
        YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(url)) {
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
  static Manifest find(String file, String kind, String name) {
    return load(file).stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " in " + file));
  }

  /** The faulty object of an {@code invalid/} file: the last one. */
  static Manifest lastOf(String file) {
    List<Manifest> all = load(file);
    return all.get(all.size() - 1);
  }
}
