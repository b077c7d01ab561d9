package io.nm4j.benchmarks.load;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.core.journal.FileJournal;
import io.nm4j.core.journal.InMemoryJournal;
import io.nm4j.core.journal.Journal;
import io.nm4j.server.Nm4jServer;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.EgressPolicy;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * nm4j in process: a {@link NotificationManager} on an in-memory configuration behind an {@link
 * Nm4jServer} on 127.0.0.1. The configuration has one global webhook receiver (default config,
 * posting to the sink's {@code /global}) and one tenant webhook receiver per load namespace with
 * its own tenant config (posting to {@code /tenant}), so every alert is routed to two receivers.
 * Accepted batches go to an in-memory journal or, as the server does by default, to a {@link
 * FileJournal} in a fresh temporary directory (fsync before the 200), deleted on close.
 */
final class Nm4jUnderTest implements AutoCloseable {
  static final String GLOBAL_PATH = "/global";
  static final String TENANT_PATH = "/tenant";

  /** Where accepted batches are journaled. */
  enum JournalKind {
    MEMORY,
    FILE;

    static JournalKind parse(String option, String value) {
      return switch (value) {
        case "memory" -> MEMORY;
        case "file" -> FILE;
        default ->
            throw new IllegalArgumentException(
                option + ": must be memory or file, was \"" + value + "\"");
      };
    }

    @Override
    public String toString() {
      return this == MEMORY ? "in-memory journal" : "file journal, fsync before each 200";
    }
  }

  private final NotificationManager manager;
  private final Nm4jServer server;
  private final @Nullable Path journalDir;

  private Nm4jUnderTest(NotificationManager manager, Nm4jServer server, @Nullable Path journalDir) {
    this.manager = manager;
    this.server = server;
    this.journalDir = journalDir;
  }

  /**
   * Starts nm4j on the load configuration.
   *
   * @param intakeThreads the server's intake threads; empty for the server's default
   * @param delivery the dispatcher's options
   */
  static Nm4jUnderTest start(
      CountingSink sink,
      OptionalInt intakeThreads,
      DeliveryOptions delivery,
      JournalKind journalKind)
      throws IOException {
    ConfigSet set = Manifests.parse(manifests(sink), "load-harness");
    if (!set.problems().isEmpty()) {
      throw new IllegalStateException("load configuration has problems: " + set.problems());
    }
    Path journalDir =
        journalKind == JournalKind.FILE ? Files.createTempDirectory("nm4j-load-journal") : null;
    Journal journal = journalDir == null ? new InMemoryJournal() : FileJournal.open(journalDir);
    NotificationManager manager;
    try {
      manager =
          NotificationManager.builder()
              .configSource(InMemoryConfigSource.of(set.objects()))
              .journal(journal)
              .deliveryOptions(delivery)
              // the tenants' sink listens on loopback, which tenants may not reach by default
              .tenantEgress(EgressPolicy.builder().allow("127.0.0.0/8").build())
              .build();
    } catch (RuntimeException e) {
      journal.close();
      delete(journalDir);
      throw e;
    }
    List<Problem> problems = manager.problems();
    if (!problems.isEmpty()) {
      manager.close();
      delete(journalDir);
      throw new IllegalStateException("load configuration has problems: " + problems);
    }
    try {
      Nm4jServer.Builder builder =
          Nm4jServer.builder().manager(manager).listen(new InetSocketAddress("127.0.0.1", 0));
      intakeThreads.ifPresent(builder::intakeThreads);
      Nm4jServer server = builder.build().start();
      return new Nm4jUnderTest(manager, server, journalDir);
    } catch (IOException | RuntimeException e) {
      manager.close();
      delete(journalDir);
      throw e;
    }
  }

  /** The intake URL, {@code http://127.0.0.1:<port>/api/v2/alerts}. */
  String intakeUrl() {
    return "http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts";
  }

  /** The file journal's directory, or null with the in-memory journal. */
  @Nullable Path journalDir() {
    return journalDir;
  }

  /** Notifications still queued or waiting for a retry. */
  int queued() {
    return manager.queued();
  }

  private static String manifests(CountingSink sink) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        object(
            "WebhookConfig",
            "default-webhook",
            "    type: default\n",
            "  url: " + sink.url(GLOBAL_PATH) + "\n"));
    sb.append(object("WebhookReceiver", "global-webhook", "    type: global\n", "  {}\n"));
    for (int k = 0; k < LoadAlerts.NAMESPACES; k++) {
      String ns = LoadAlerts.namespace(k);
      String labels = "    type: tenant\n    namespace: " + ns + "\n";
      sb.append(
          object(
              "WebhookConfig", ns + "-webhook", labels, "  url: " + sink.url(TENANT_PATH) + "\n"));
      sb.append(
          object(
              "WebhookReceiver",
              ns + "-webhook",
              labels,
              "  webhookConfigSelector:\n    matchLabels:\n" + labels.replace("    ", "      ")));
    }
    return sb.toString();
  }

  private static String object(String kind, String name, String labels, String spec) {
    return "---\napiVersion: notification.kubesphere.io/v1alpha1\nkind: "
        + kind
        + "\nmetadata:\n  name: "
        + name
        + "\n  namespace: "
        + NotificationManager.DEFAULT_NAMESPACE
        + "\n  labels:\n"
        + labels
        + "spec:\n"
        + spec;
  }

  @Override
  public void close() {
    server.close();
    manager.close();
    delete(journalDir);
  }

  private static void delete(@Nullable Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the load journal " + dir, e);
    }
  }
}
