package io.nm4j.spi;

import java.util.Objects;

/**
 * A reference to one key of a {@code v1/Secret} in the namespace of the object that holds the
 * reference.
 *
 * @param name the Secret's name
 * @param key the key in its {@code data}
 */
public record SecretKeySelector(String name, String key) {

  public SecretKeySelector {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public String toString() {
    return "secret " + name + " key " + key;
  }
}
