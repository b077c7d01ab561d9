package io.nm4j.core.admin;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectRef;
import org.jspecify.annotations.Nullable;

/**
 * A receiver or config for {@link AdminService#verify}: an inline object, or the name of a stored
 * one. Exactly one of the two is set.
 *
 * @param inline the object given in the request
 * @param stored the kind and name of a stored object
 */
public record VerifyTarget(@Nullable ConfigObject inline, @Nullable ObjectRef stored) {

  public VerifyTarget {
    if ((inline == null) == (stored == null)) {
      throw new IllegalArgumentException("give an inline object or a stored name, not both");
    }
  }

  public static VerifyTarget inline(ConfigObject object) {
    return new VerifyTarget(object, null);
  }

  public static VerifyTarget stored(String kind, String name) {
    return new VerifyTarget(null, new ObjectRef(kind, name));
  }
}
