package io.nm4j.spi;

import java.util.Objects;

/**
 * Names one configuration object by kind and name, printed {@code Kind/name} as in every message.
 */
public record ObjectRef(String kind, String name) implements Comparable<ObjectRef> {

  public ObjectRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public int compareTo(ObjectRef o) {
    int c = kind.compareTo(o.kind);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return kind + "/" + name;
  }
}
