package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** A channel plugin jar compiled from source in a test, as a third party would ship it. */
final class PluginJar {
  private PluginJar() {}

  /**
   * Compiles {@code source} (one public class, the provider, against the test classpath) in {@code
   * work} and writes {@code dir/<jarName>} holding its classes and the {@code META-INF/services}
   * entry naming it.
   *
   * @param className the provider's fully qualified name
   * @return {@code dir}
   */
  static Path build(Path work, Path dir, String jarName, String className, String source)
      throws IOException {
    Files.createDirectories(dir);
    int dot = className.lastIndexOf('.');
    Path src =
        Files.createDirectories(
            work.resolve("src").resolve(className.substring(0, dot).replace('.', '/')));
    Path classes = Files.createDirectories(work.resolve("classes"));
    Path file = Files.writeString(src.resolve(className.substring(dot + 1) + ".java"), source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int result =
        javac.run(
            null,
            null,
            null,
            "-proc:none",
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            classes.toString(),
            file.toString());
    assertThat(result).as("the plugin compiles").isZero();
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve(jarName)));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        jar.putNextEntry(
            new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, jar);
        jar.closeEntry();
      }
      jar.putNextEntry(new JarEntry("META-INF/services/io.nm4j.spi.ChannelProvider"));
      jar.write((className + "\n").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
    }
    return dir;
  }
}
