package io.nm4j.core.delivery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A dead letter as one JSON object, the same wherever it is kept (the {@link DeadLetterFile}, a
 * shared queue's dead-letter topic): the time, notification id, receiver, tenant, config, reason,
 * retryable, attempts, detail (as redacted as the channel reported it), the Alertmanager group key
 * and the alerts' fingerprints, status and labels. No secret value is part of any of them.
 */
public final class DeadLetterJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeadLetterJson() {}

  /** The dead letter as UTF-8 JSON on one line, without a line break. */
  public static byte[] encode(
      Notification n, int attempts, SendResult.Failed failure, Instant time) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(buf, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("time", time.toString());
      g.writeStringField("notificationId", n.id());
      g.writeStringField("receiver", n.receiver().toString());
      writeNullable(g, "tenant", n.tenant());
      writeNullable(g, "config", n.config() == null ? null : n.config().toString());
      g.writeStringField("reason", failure.reason().name());
      g.writeBooleanField("retryable", failure.retryable());
      g.writeNumberField("attempts", attempts);
      g.writeStringField("detail", failure.detail());
      g.writeStringField("groupKey", n.batch().groupKey());
      g.writeArrayFieldStart("alerts");
      for (Alert a : n.alerts()) {
        g.writeStartObject();
        g.writeStringField("fingerprint", a.fingerprint());
        g.writeStringField("status", a.status().wireName());
        g.writeObjectFieldStart("labels");
        // sorted, so the same alert always reads the same
        for (Map.Entry<String, String> e : new TreeMap<>(a.labels()).entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      // an in-memory buffer does not fail to write
      throw new UncheckedIOException(e);
    }
    return buf.toByteArray();
  }

  private static void writeNullable(JsonGenerator g, String field, @Nullable String value)
      throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }
}
