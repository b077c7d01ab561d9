package io.nm4j.spi;

import java.util.List;

/**
 * Everything a {@link ConfigSource} holds at one moment: the objects it could read, and what it
 * could not read (a malformed file, a watch error), so the core reports both.
 *
 * @param objects the objects, in the source's order
 * @param problems problems met while reading, each naming where
 */
public record ConfigSet(List<ConfigObject> objects, List<Problem> problems) {

  public static final ConfigSet EMPTY = new ConfigSet(List.of(), List.of());

  public ConfigSet {
    objects = List.copyOf(objects);
    problems = List.copyOf(problems);
  }

  public static ConfigSet of(List<ConfigObject> objects) {
    return new ConfigSet(objects, List.of());
  }
}
