package io.nm4j.server.internal;

import io.nm4j.spi.LogText;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel plugin jars: every {@code *.jar} of a directory, through one class loader whose parent is
 * the server's, so {@code ServiceLoader} finds their providers next to the built-in channels. The
 * directory is {@code --plugins DIR}, or else a {@code plugins/} directory next to the running jar
 * when there is one.
 */
public final class Plugins {
  private static final Logger log = LoggerFactory.getLogger(Plugins.class);

  private Plugins() {}

  /**
   * The class loader for {@code dir} (or the default directory when {@code null}); the server's own
   * loader when there is no directory or it holds no jar.
   *
   * @throws InputException when a given directory is missing or unreadable
   */
  public static ClassLoader loader(@Nullable Path dir) throws InputException {
    ClassLoader parent = Plugins.class.getClassLoader();
    Path chosen = dir;
    if (chosen == null) {
      chosen = besideJar();
      if (chosen == null) {
        return parent;
      }
    } else if (!Files.isDirectory(chosen)) {
      throw new InputException("--plugins " + chosen + ": not a directory");
    }
    List<URL> jars = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(chosen, "*.jar")) {
      for (Path jar : files) {
        if (Files.isRegularFile(jar)) {
          jars.add(jar.toUri().toURL());
        }
      }
    } catch (MalformedURLException e) {
      throw new InputException("--plugins " + chosen + ": " + e.getMessage());
    } catch (IOException e) {
      throw new InputException("--plugins " + chosen + ": cannot be read: " + e);
    }
    if (jars.isEmpty()) {
      return parent;
    }
    jars.sort(Comparator.comparing(URL::toString));
    log.info("channel plugins from {}: {}", LogText.escape(chosen.toString()), jars.size());
    return new URLClassLoader("nm4j-plugins", jars.toArray(new URL[0]), parent);
  }

  /** {@code plugins/} next to the jar this class was loaded from, when it exists. */
  private static @Nullable Path besideJar() {
    CodeSource source = Plugins.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      if (!Files.isRegularFile(location) || location.getParent() == null) {
        return null;
      }
      Path plugins = location.getParent().resolve("plugins");
      return Files.isDirectory(plugins) ? plugins : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
