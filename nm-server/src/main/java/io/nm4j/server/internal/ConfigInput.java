package io.nm4j.server.internal;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.FileConfigSource;
import io.nm4j.core.MessageDefaults;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.Snapshot;
import io.nm4j.spi.ConfigSet;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code --config DIR}, {@code --namespace NS} and {@code --plugins DIR} options of the
 * commands that read a configuration directory, and the one-shot snapshot built from it.
 *
 * <p>The commands read the directory once and build a {@link Snapshot} directly rather than a
 * {@link NotificationManager}: a manager would watch the directory (a thread for nothing in a
 * one-shot command) and log every problem, which the commands print themselves.
 */
public final class ConfigInput {
  @Option(
      names = "--config",
      paramLabel = "DIR",
      required = true,
      description = "directory of manifests (*.yaml, *.yml, *.json; subdirectories too)")
  String config = "";

  @Mixin ChannelsAndNamespace channels = new ChannelsAndNamespace();

  /**
   * The loaded configuration.
   *
   * @param set the objects read and the problems met reading them
   * @param snapshot the validated snapshot of {@code set}
   * @param channels the channels it was read with
   */
  public record Loaded(ConfigSet set, Snapshot snapshot, ChannelRegistry channels) {}

  /** Reads the directory of {@code --config} and validates it. */
  Loaded load() throws InputException {
    return load(MessageDefaults.DEFAULT);
  }

  /**
   * Reads the directory of {@code --config} and validates it, rendering with the server-wide {@code
   * messageDefaults}.
   */
  Loaded load(MessageDefaults messageDefaults) throws InputException {
    Path dir = directory(config);
    ChannelRegistry registry = channels.registry();
    ConfigSet set;
    try (FileConfigSource source = FileConfigSource.of(dir)) {
      set = source.load();
    }
    return new Loaded(
        set,
        Snapshot.build(
            set, registry, channels.namespace(), null, Clock.systemUTC(), messageDefaults),
        registry);
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
