package io.nm4j.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Webhook batches of numbered alerts (label {@code id=b<batch>-a<alert>}), one Alertmanager group
 * per batch, and posting them to a server's intake: what the crash and failover tests send.
 */
final class NumberedBatches {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NumberedBatches() {}

  static String alertId(int batch, int alert) {
    return "b" + batch + "-a" + alert;
  }

  /** Batch {@code batch} of {@code alerts} firing alerts named {@code alertname}. */
  static String body(int batch, int alerts, String alertname) {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "4");
    body.put("receiver", "nm4j");
    body.put("status", "firing");
    body.put("groupKey", "{}:{batch=\"" + batch + "\"}");
    ArrayNode list = body.putArray("alerts");
    for (int a = 0; a < alerts; a++) {
      ObjectNode alert = list.addObject();
      alert.put("status", "firing");
      alert.putObject("labels").put("alertname", alertname).put("id", alertId(batch, a));
      alert.put("startsAt", "2024-05-01T10:00:00Z");
      alert.put("fingerprint", alertId(batch, a));
    }
    return body.toString();
  }

  /** Whether the server on {@code port} answered 200; false when it refused or is gone. */
  static boolean post(HttpClient client, int port, String body) {
    try {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
