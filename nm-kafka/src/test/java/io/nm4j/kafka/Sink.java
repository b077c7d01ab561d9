package io.nm4j.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Webhook receivers' endpoint on 127.0.0.1 (OkHttp's MockWebServer): records which receiver got
 * which alert, in arrival order, and answers 200 (or the status it is told), after a delay when
 * told.
 */
final class Sink implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One alert delivered to one receiver. */
  record Delivery(String receiver, String alert) {}

  private final MockWebServer server = new MockWebServer();
  private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  private volatile Duration delay = Duration.ZERO;
  private volatile int status = 200;

  private Sink() {}

  static Sink start() throws IOException {
    Sink sink = new Sink();
    sink.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            sink.record(request);
            return new MockResponse.Builder()
                .code(sink.status)
                .headersDelay(sink.delay.toMillis(), TimeUnit.MILLISECONDS)
                .build();
          }
        });
    sink.server.start(InetAddress.getByName("127.0.0.1"), 0);
    return sink;
  }

  private void record(RecordedRequest request) {
    try {
      JsonNode body = JSON.readTree(request.getBody().string(StandardCharsets.UTF_8));
      String receiver = body.get("receiver").asText();
      for (JsonNode alert : body.get("alerts")) {
        deliveries.add(new Delivery(receiver, alert.get("labels").get("alertname").asText()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return server.url("/alerts").toString();
  }

  void delay(Duration delay) {
    this.delay = delay;
  }

  /** Answers every request with {@code status} from now on. */
  void status(int status) {
    this.status = status;
  }

  List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** How often each (receiver, alert) arrived. */
  Map<Delivery, Long> countsPerDelivery() {
    return deliveries.stream()
        .collect(
            Collectors.groupingBy(Function.identity(), LinkedHashMap::new, Collectors.counting()));
  }

  /** Each receiver's alerts, in the order each first arrived. */
  Map<String, List<String>> firstArrivalsPerReceiver() {
    return countsPerDelivery().keySet().stream()
        .collect(
            Collectors.groupingBy(
                Delivery::receiver, Collectors.mapping(Delivery::alert, Collectors.toList())));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
