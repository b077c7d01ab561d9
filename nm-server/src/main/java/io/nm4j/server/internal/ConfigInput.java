package io.nm4j.server.internal;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Snapshot;
import io.nm4j.server.Options;
import io.nm4j.spi.ConfigSet;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --config DIR} and {@code --namespace NS} options of the commands that read a
 * configuration directory, and the one-shot snapshot built from it.
 *
 * <p>The commands read the directory once and build a {@link Snapshot} directly rather than a
 * {@link NotificationManager}: a manager would watch the directory (a thread for nothing in a
 * one-shot command) and log every problem, which the commands print themselves.
 */
public final class ConfigInput {
  static final Options.Option CONFIG =
      Options.Option.value(
          "config",
          "DIR",
          true,
          "directory of manifests (*.yaml, *.yml, *.json; subdirectories too)");
  static final Options.Option NAMESPACE =
      Options.Option.value(
          "namespace",
          "NS",
          false,
          "namespace of receivers, configs and secrets (default "
              + NotificationManager.DEFAULT_NAMESPACE
              + ")");

  private ConfigInput() {}

  /**
   * The loaded configuration.
   *
   * @param set the objects read and the problems met reading them
   * @param snapshot the validated snapshot of {@code set}
   */
  public record Loaded(ConfigSet set, Snapshot snapshot) {}

  /** Reads the directory of {@code --config} and validates it. */
  static Loaded load(Options options) throws InputException {
    Path dir = directory(options.required(CONFIG.name()));
    String namespace = options.get(NAMESPACE.name(), NotificationManager.DEFAULT_NAMESPACE);
    ChannelRegistry channels;
    try {
      channels = ChannelRegistry.discover(ConfigInput.class.getClassLoader(), List.of());
    } catch (IllegalStateException e) {
      throw new InputException("channel plugins: " + e.getMessage());
    }
    ConfigSet set;
    try (FileConfigSource source = FileConfigSource.of(dir)) {
      set = source.load();
    }
    return new Loaded(set, Snapshot.build(set, channels, namespace, null));
  }

  private static Path directory(String text) throws InputException {
    Path dir;
    try {
      dir = Path.of(text);
    } catch (InvalidPathException e) {
      throw new InputException("--config " + text + ": not a valid path");
    }
    if (!Files.exists(dir)) {
      throw new InputException("--config " + text + ": no such directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new InputException("--config " + text + ": not a directory");
    }
    if (!Files.isReadable(dir)) {
      throw new InputException("--config " + text + ": directory is not readable");
    }
    return dir;
  }
}
