package io.nm4j.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs {@link Main#run} with captured streams, and finds the test resources on disk. */
final class Cli {
  private Cli() {}

  /** What one command line printed and returned. */
  record Result(int exit, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs with {@code environment} as the process environment {@code serve} reads. */
  static Result run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = new Main(environment).run(args, o, e);
    }
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A test resource (file or directory) as a path. */
  static Path resource(String name) {
    URL url = Cli.class.getResource("/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Copies the manifest files directly in a resource directory (not its subdirectories, which hold
   * other sets) into {@code target}.
   */
  static Path copyFilesOf(String resourceDir, Path target) {
    try (Stream<Path> files = Files.list(resource(resourceDir))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, target.resolve(f.getFileName().toString()));
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path copy(String resource, Path targetDir) {
    Path source = resource(resource);
    try {
      return Files.copy(source, targetDir.resolve(source.getFileName().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
