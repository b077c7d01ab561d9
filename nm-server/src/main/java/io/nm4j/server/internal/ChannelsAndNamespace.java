package io.nm4j.server.internal;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.NotificationManager;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --namespace NS} and {@code --plugins DIR}: where the objects live and which channels
 * exist, for every command that loads a configuration.
 */
public final class ChannelsAndNamespace {
  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description =
          "namespace of receivers, configs and secrets (default "
              + NotificationManager.DEFAULT_NAMESPACE
              + ")")
  @Nullable String namespace;

  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description = "load channel plugin jars from DIR (default: plugins/ next to nm4j.jar)")
  @Nullable Path plugins;

  /** The namespace given, or the default one. */
  String namespace() {
    return namespace == null ? NotificationManager.DEFAULT_NAMESPACE : namespace;
  }

  /** The class loader that finds the built-in channels and the plugins. */
  ClassLoader channelLoader() throws InputException {
    return Plugins.loader(plugins);
  }

  /**
   * The built-in channels and the plugins' as a manager would register them.
   *
   * @throws InputException when a plugin is unusable (two providers claim one kind, a description
   *     contradicts its provider)
   */
  ChannelRegistry registry() throws InputException {
    try {
      return ChannelRegistry.discover(channelLoader(), List.of());
    } catch (IllegalStateException e) {
      throw new InputException("channel plugins: " + e.getMessage());
    }
  }
}
