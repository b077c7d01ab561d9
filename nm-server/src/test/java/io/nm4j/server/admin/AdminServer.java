package io.nm4j.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.FileConfigSource;
import io.nm4j.core.NotificationManager;
import io.nm4j.core.admin.AdminService;
import io.nm4j.core.admin.Authenticator;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.server.Nm4jServer;
import io.nm4j.server.Requests;
import io.nm4j.spi.ConfigStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The real server on a directory store, and an HTTP client for its admin API. */
final class AdminServer implements AutoCloseable {
  static {
    // As `nm4j serve` does, log nm4j at INFO or finer, so the audit trail and any secret leak reach
    // the log captures; set before the first admin logger is created by any test of this package.
    // The examples' simplelogger.properties keeps one-shot commands at WARN.
    System.setProperty("org.slf4j.simpleLogger.log.io.nm4j", "debug");
  }

  static final String PREFIX = "/kapis/notification.kubesphere.io/v2alpha1/";
  static final ObjectMapper JSON = new ObjectMapper();

  final ConfigStore store;
  final NotificationManager manager;
  final AdminService admin;
  final Nm4jServer server;
  private final HttpClient client = HttpClient.newHttpClient();

  AdminServer(Path dir, List<Authenticator> authenticators) throws IOException {
    this(FileConfigSource.of(dir, Duration.ofMillis(20)), authenticators);
  }

  AdminServer(ConfigStore store, List<Authenticator> authenticators) throws IOException {
    this.store = store;
    manager =
        NotificationManager.builder()
            .configSource(store)
            .deliveryOptions(DeliveryOptions.defaults())
            .build();
    admin = AdminService.builder().store(store).manager(manager).build();
    server =
        Nm4jServer.builder()
            .manager(manager)
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .admin(admin)
            .adminListen(new InetSocketAddress("127.0.0.1", 0))
            .authenticators(authenticators)
            .build()
            .start();
  }

  /** The admin API's port. */
  int port() {
    return server.adminAddress().getPort();
  }

  /** The intake listener's port: alerts, explain, deliveries, the demo sink. */
  int intakePort() {
    return server.address().getPort();
  }

  HttpResponse<String> call(
      String method, String path, String token, String contentType, String body, String... headers)
      throws IOException, InterruptedException {
    return call(port(), method, path, token, contentType, body, headers);
  }

  /** A request to the intake listener. */
  HttpResponse<String> callIntake(
      String method, String path, String token, String contentType, String body)
      throws IOException, InterruptedException {
    return call(intakePort(), method, path, token, contentType, body);
  }

  private HttpResponse<String> call(
      int port,
      String method,
      String path,
      String token,
      String contentType,
      String body,
      String... headers)
      throws IOException, InterruptedException {
    return client.send(
        Requests.to(port, method, path, token, contentType, body, headers),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String token, String resource, String json)
      throws IOException, InterruptedException {
    return call("POST", PREFIX + resource, token, "application/json", json);
  }

  HttpResponse<String> put(String token, String path, String json)
      throws IOException, InterruptedException {
    return call("PUT", PREFIX + path, token, "application/json", json);
  }

  HttpResponse<String> get(String token, String path) throws IOException, InterruptedException {
    return call("GET", PREFIX + path, token, null, null);
  }

  HttpResponse<String> delete(String token, String path) throws IOException, InterruptedException {
    return call("DELETE", PREFIX + path, token, null, null);
  }

  static JsonNode json(HttpResponse<String> r) throws IOException {
    return JSON.readTree(r.body());
  }

  @Override
  public void close() {
    server.close();
    admin.close();
    manager.close();
  }
}
