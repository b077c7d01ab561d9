package io.nm4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A webhook receiver on 127.0.0.1 (OkHttp's MockWebServer) that records every request with the
 * status it answered. It answers 200, or with {@link #failEveryOtherRequest()} 503 to the 1st, 3rd,
 * 5th... request, so every notification needs a retry.
 */
final class WebhookSink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request: the path it was sent to, the status answered and the parsed body. */
  record Request(String path, int status, JsonNode body) {}

  private final String path;
  private final MockWebServer server = new MockWebServer();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicBoolean flaky = new AtomicBoolean();

  /**
   * Writes {@code dir/hook.yaml}: one global webhook receiver whose config posts to {@code url}.
   *
   * @return {@code dir}, created if missing
   */
  static Path globalReceiverConfig(Path dir, String url) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("hook.yaml"),
        """
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookConfig
        metadata: {name: hook, namespace: kubesphere-monitoring-system, labels: {purpose: hook}}
        spec:
          url: %s
        ---
        apiVersion: notification.kubesphere.io/v1alpha1
        kind: WebhookReceiver
        metadata: {name: ops, namespace: kubesphere-monitoring-system, labels: {type: global}}
        spec:
          webhookConfigSelector:
            matchLabels: {purpose: hook}
        """
            .formatted(url));
    return dir;
  }

  WebhookSink(String path) {
    this.path = path;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            int n = count.incrementAndGet();
            int status = flaky.get() && n % 2 == 1 ? 503 : 200;
            JsonNode body;
            try {
              body = JSON.readTree(request.getBody() == null ? "" : request.getBody().utf8());
            } catch (IOException e) {
              body = JSON.getNodeFactory().textNode("unparsable: " + e.getMessage());
            }
            requests.add(new Request(request.getUrl().encodedPath(), status, body));
            return new MockResponse.Builder().code(status).body(status == 200 ? "ok" : "").build();
          }
        });
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** From now on answers 503 to every odd-numbered request. */
  void failEveryOtherRequest() {
    flaky.set(true);
  }

  String url() {
    return server.url(path).toString();
  }

  String path() {
    return path;
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Requests answered 2xx: the notifications the receiver actually took. */
  List<JsonNode> accepted() {
    List<JsonNode> out = new ArrayList<>();
    for (Request r : requests) {
      if (r.status() / 100 == 2) {
        out.add(r.body());
      }
    }
    return out;
  }

  /** Every alert of every accepted request, in arrival order. */
  List<JsonNode> acceptedAlerts() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode body : accepted()) {
      body.path("alerts").forEach(out::add);
    }
    return out;
  }

  long rejectedCount() {
    return requests.stream().filter(r -> r.status() / 100 != 2).count();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  @Override
  public String toString() {
    return path + " " + requests.stream().map(r -> r.status() + " " + r.body()).toList();
  }
}
