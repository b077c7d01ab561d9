package io.nm4j.benchmarks.load;

import io.nm4j.core.InMemoryConfigSource;
import io.nm4j.core.Manifests;
import io.nm4j.core.NotificationManager;
import io.nm4j.examples.Nm4jServer;
import io.nm4j.spi.ConfigSet;
import io.nm4j.spi.Problem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * nm4j in process: a {@link NotificationManager} on an in-memory configuration behind an {@link
 * Nm4jServer} on 127.0.0.1. The configuration has one global webhook receiver (default config,
 * posting to the sink's {@code /global}) and one tenant webhook receiver per load namespace with
 * its own tenant config (posting to {@code /tenant}), so every alert is routed to two receivers.
 */
final class Nm4jUnderTest implements AutoCloseable {
  static final String GLOBAL_PATH = "/global";
  static final String TENANT_PATH = "/tenant";

  private final NotificationManager manager;
  private final Nm4jServer server;

  private Nm4jUnderTest(NotificationManager manager, Nm4jServer server) {
    this.manager = manager;
    this.server = server;
  }

  static Nm4jUnderTest start(CountingSink sink, int httpThreads) throws IOException {
    ConfigSet set = Manifests.parse(manifests(sink), "load-harness");
    if (!set.problems().isEmpty()) {
      throw new IllegalStateException("load configuration has problems: " + set.problems());
    }
    NotificationManager manager =
        NotificationManager.builder().configSource(InMemoryConfigSource.of(set.objects())).build();
    List<Problem> problems = manager.problems();
    if (!problems.isEmpty()) {
      manager.close();
      throw new IllegalStateException("load configuration has problems: " + problems);
    }
    try {
      Nm4jServer server =
          Nm4jServer.builder()
              .manager(manager)
              .listen(new InetSocketAddress("127.0.0.1", 0))
              .threads(httpThreads)
              .start();
      return new Nm4jUnderTest(manager, server);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The intake URL, {@code http://127.0.0.1:<port>/api/v2/alerts}. */
  String intakeUrl() {
    return "http://127.0.0.1:" + server.address().getPort() + "/api/v2/alerts";
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
  }
}
