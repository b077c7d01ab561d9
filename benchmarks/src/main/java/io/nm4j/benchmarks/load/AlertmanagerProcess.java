package io.nm4j.benchmarks.load;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Alertmanager in its own temporary directory, listening on 127.0.0.1 with
 * clustering off: {@code group_by: ['namespace']}, group wait and interval 1 s, one webhook
 * receiver. Stopping it kills only the process this object started.
 */
final class AlertmanagerProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private AlertmanagerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts Alertmanager and waits until {@code /-/ready} answers 200.
   *
   * @param binary the Alertmanager executable
   * @param webhookUrl where its one receiver posts
   * @param readyTimeout how long to wait for readiness
   */
  static AlertmanagerProcess start(Path binary, String webhookUrl, Duration readyTimeout)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("nm4j-load-am-");
    int port = freePort();
    Path config = dir.resolve("alertmanager.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "route:",
            "  receiver: nm4j",
            "  group_by: ['namespace']",
            "  group_wait: 1s",
            "  group_interval: 1s",
            "  repeat_interval: 1h",
            "receivers:",
            "  - name: nm4j",
            "    webhook_configs:",
            "      - url: '" + webhookUrl + "'",
            "        send_resolved: true",
            ""),
        StandardCharsets.UTF_8);
    Process p =
        new ProcessBuilder(
                List.of(
                    binary.toString(),
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.external-url=http://127.0.0.1:" + port,
                    "--cluster.listen-address="))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("alertmanager.log").toFile())
            .start();
    AlertmanagerProcess am = new AlertmanagerProcess(p, dir, port);
    try {
      am.awaitReady(readyTimeout);
    } catch (IOException | InterruptedException | RuntimeException e) {
      am.close();
      throw e;
    }
    return am;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/-/ready"))
            .timeout(Duration.ofSeconds(1))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            "Alertmanager exited with " + process.exitValue() + " during startup; " + log());
      }
      try {
        if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        if (!notReadyYet(e)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("Alertmanager not ready within " + timeout + "; " + log());
      }
      // polling a child process's readiness; nothing to wait on instead
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Whether a failed readiness probe means only that Alertmanager is not answering yet: it does not
   * listen yet, or on a busy machine it did not accept or answer within the probe's second (which
   * used to end the whole harness run). The deadline bounds the wait either way.
   */
  static boolean notReadyYet(IOException e) {
    return e instanceof ConnectException || e instanceof HttpTimeoutException;
  }

  private String log() {
    Path log = dir.resolve("alertmanager.log");
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return "last lines of "
          + log
          + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "see " + log;
    }
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  Path dir() {
    return dir;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops the process (TERM, then KILL after 10 s) and deletes its directory. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths
          .sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // a leftover temp file is harmless
                }
              });
    } catch (IOException e) {
      // same
    }
  }
}
