package io.nm4j.server;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server as a child JVM on the test classpath, as crash and flood tests need it. */
final class ServerProcess {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

  private ServerProcess() {}

  /**
   * Starts {@code nm4j serve} with a 256 MiB heap on a free loopback port, its output in {@code
   * log}; the process is added to {@code children} so the test can kill it.
   */
  static Process start(List<Process> children, Path config, Path data, Path log, String... jvmFlags)
      throws IOException {
    return start(children, config, data, log, List.of(jvmFlags), List.of());
  }

  /** As {@link #start(List, Path, Path, Path, String...)}, with more {@code serve} options. */
  static Process start(
      List<Process> children,
      Path config,
      Path data,
      Path log,
      List<String> jvmFlags,
      List<String> serveOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.addAll(jvmFlags);
    command.addAll(
        List.of(
            "io.nm4j.server.Main",
            "serve",
            "--config",
            config.toString(),
            "--listen",
            "127.0.0.1:0",
            "--admin-listen",
            "127.0.0.1:0",
            "--data-dir",
            data.toString()));
    command.addAll(serveOptions);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    children.add(p);
    return p;
  }

  /** The port the server printed it listens on, once it has. */
  static int port(Path log) {
    int[] port = new int[1];
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Matcher m = LISTENING.matcher(Files.readString(log));
              if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
              }
              return false;
            });
    return port[0];
  }
}
