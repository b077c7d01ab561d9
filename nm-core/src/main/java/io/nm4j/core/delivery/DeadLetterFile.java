package io.nm4j.core.delivery;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.spi.Alert;
import io.nm4j.spi.DeliveryListener;
import io.nm4j.spi.Notification;
import io.nm4j.spi.SendResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every dead letter to a JSON-lines file, one object per line, so an operator can see and
 * replay what was never delivered. Each line holds the time, notification id, receiver, tenant,
 * config, reason, retryable, attempts, detail and the alerts' fingerprints and labels. Lines are
 * written whole and flushed one by one; safe to call from several threads.
 *
 * <p>A write that fails is logged and the delivery goes on: a full disk must not stop alerting.
 */
public final class DeadLetterFile implements DeliveryListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterFile.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Path path;
  private final Clock clock;
  private final OutputStream out;

  /**
   * Opens {@code path} for appending, creating it (not its directories) when missing.
   *
   * @throws UncheckedIOException naming the file when it cannot be opened
   */
  public DeadLetterFile(Path path, Clock clock) {
    this.path = Objects.requireNonNull(path, "path");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.out =
          Files.newOutputStream(
              path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("dead-letter file " + path + ": cannot open: " + e, e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void onDeadLetter(Notification notification, int attempts, SendResult.Failed failure) {
    byte[] line;
    try {
      line = encode(notification, attempts, failure);
    } catch (IOException e) {
      log.warn("dead-letter file {}: cannot encode {}: {}", path, notification.id(), e.toString());
      return;
    }
    synchronized (this) {
      try {
        out.write(line);
        out.flush();
      } catch (IOException e) {
        log.warn(
            "dead-letter file {}: cannot write {} of {}: {}",
            path,
            notification.id(),
            notification.receiver(),
            e.toString());
      }
    }
  }

  private byte[] encode(Notification n, int attempts, SendResult.Failed failure)
      throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(buf, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("time", clock.instant().toString());
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
    }
    buf.write('\n');
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

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      log.warn("dead-letter file {}: cannot close: {}", path, e.toString());
    }
  }

  @Override
  public String toString() {
    return "DeadLetterFile[" + path + "]";
  }
}
