package io.nm4j.channel.webhook.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.Notification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Alertmanager's webhook (version 4) body for one notification: only its alerts, with the common
 * labels and annotations computed over them. Map keys are sorted, as Go's encoder writes them.
 */
public final class WebhookPayload {
  private static final JsonFactory JSON = new JsonFactory();
  private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private static final RenderedAlerts RENDERED =
      new RenderedAlerts(WebhookPayload::renderAlerts, WebhookPayload::renderCommon);

  /** Room for a body's fields beside its alerts: receiver, status, maps, URL, group key. */
  private static final int ENVELOPE_BYTES = 1024;

  private static final int MAX_BYTES_PER_ALERT_HINT = 4 * 1024;

  /**
   * The most a first guess allocates: one batch of large alerts must not make the next batch of
   * many small ones reserve many times its size; a buffer still grows to whatever it needs.
   */
  private static final int MAX_FIRST_GUESS_BYTES = 1 << 20;

  /**
   * The JSON size of a recently rendered alert, a little more: the first guess for the next buffer.
   * Racy by design: any recent value is as good a guess as the latest.
   */
  private static volatile int bytesPerAlert = 512;

  private WebhookPayload() {}

  public static byte[] render(Notification notification) {
    List<Alert> alerts = notification.alerts();
    AlertBatch batch = notification.batch();
    RawJson[] rendered = RENDERED.of(batch, alerts);
    // sized for what the body holds: a buffer per send much larger than the body cost more to
    // zero than the rest of the render in the load harness's profile
    int size = ENVELOPE_BYTES;
    for (RawJson json : rendered) {
      size += json.length() + 1;
    }
    Bytes out = new Bytes(size);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("receiver", notification.receiver().name());
      boolean firing = alerts.stream().anyMatch(a -> a.status() == AlertStatus.FIRING);
      g.writeStringField("status", (firing ? AlertStatus.FIRING : AlertStatus.RESOLVED).wireName());
      g.writeArrayFieldStart("alerts");
      for (RawJson json : rendered) {
        g.writeRawValue(json);
      }
      g.writeEndArray();
      writeMap(g, "groupLabels", batch.groupLabels());
      RenderedAlerts.CommonPairs common = RENDERED.commonOf(batch, alerts);
      g.writeFieldName("commonLabels");
      g.writeRawValue(common.labels());
      g.writeFieldName("commonAnnotations");
      g.writeRawValue(common.annotations());
      g.writeStringField("externalURL", batch.externalURL());
      g.writeStringField("version", "4");
      g.writeStringField("groupKey", batch.groupKey());
      g.writeNumberField("truncatedAlerts", batch.truncatedAlerts());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.exact();
  }

  /**
   * The JSON objects of {@code alerts}, what every notification carrying them posts whatever its
   * receiver: written by one generator into one array, each a slice of it.
   */
  static RawJson[] renderAlerts(List<Alert> alerts) {
    Bytes out =
        new Bytes((int) Math.min(MAX_FIRST_GUESS_BYTES, 16 + (long) bytesPerAlert * alerts.size()));
    int[] ends = new int[alerts.size()];
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (int i = 0; i < ends.length; i++) {
        Alert a = alerts.get(i);
        g.writeStartObject();
        g.writeStringField("status", a.status().wireName());
        writeMap(g, "labels", a.labels());
        writeMap(g, "annotations", a.annotations());
        g.writeStringField("startsAt", time(a.startsAt()));
        g.writeStringField("endsAt", time(a.endsAt()));
        g.writeStringField("generatorURL", a.generatorURL());
        g.writeStringField("fingerprint", a.fingerprint());
        g.writeEndObject();
        g.flush();
        ends[i] = out.size();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!alerts.isEmpty()) {
      // the next batch's alerts are most likely alike: their buffer then needs no growing
      bytesPerAlert = Math.min(MAX_BYTES_PER_ALERT_HINT, out.size() / alerts.size() + 64);
    }
    // the slices are kept with their batch: no copy unless much of the buffer is unused
    byte[] bytes = out.trimmedArray();
    RawJson[] rendered = new RawJson[ends.length];
    int start = 1; // after "[", then after each ","
    for (int i = 0; i < ends.length; i++) {
      rendered[i] = new RawJson(bytes, start, ends[i] - start);
      start = ends[i] + 1;
    }
    return rendered;
  }

  /**
   * The JSON objects of the labels and of the annotations every one of {@code alerts} has alike.
   */
  static RenderedAlerts.CommonPairs renderCommon(List<Alert> alerts) {
    Bytes out = new Bytes(256);
    int labelsEnd;
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      writeMap(g, common(alerts, Alert::labels));
      g.flush();
      labelsEnd = out.size();
      writeMap(g, common(alerts, Alert::annotations));
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.trimmedArray();
    // "[" labels "," annotations "]"
    return new RenderedAlerts.CommonPairs(
        new RawJson(bytes, 1, labelsEnd - 1),
        new RawJson(bytes, labelsEnd + 1, out.size() - labelsEnd - 2));
  }

  /** The pairs every alert has with the same value, in key order. */
  static SortedMap<String, String> common(
      List<Alert> alerts, Function<Alert, Map<String, String>> pairs) {
    SortedMap<String, String> common = new TreeMap<>();
    if (alerts.isEmpty()) {
      return common;
    }
    Map<String, String> first = pairs.apply(alerts.get(0));
    String[] keys = new String[first.size()];
    String[] values = new String[first.size()];
    int kept = 0;
    for (Map.Entry<String, String> e : first.entrySet()) {
      keys[kept] = e.getKey();
      values[kept++] = e.getValue();
    }
    // the candidates in two arrays, compacted as alerts disagree: per alert a lookup per candidate
    // and no iterator or lambda: a map's removeIf was 4% of a delivery worker's samples
    for (int i = 1; i < alerts.size() && kept > 0; i++) {
      Map<String, String> other = pairs.apply(alerts.get(i));
      int still = 0;
      for (int k = 0; k < kept; k++) {
        if (values[k].equals(other.get(keys[k]))) {
          keys[still] = keys[k];
          values[still++] = values[k];
        }
      }
      kept = still;
    }
    for (int k = 0; k < kept; k++) {
      common.put(keys[k], values[k]);
    }
    return common;
  }

  /** RFC 3339 with nanoseconds and trailing zeros trimmed (Go's RFC3339Nano); null is Go's zero. */
  static String time(@Nullable Instant t) {
    if (t == null) {
      return GO_ZERO_TIME;
    }
    // Hand-written RFC 3339 (as Go writes it: fraction without trailing zeros); this runs twice
    // per alert per delivery, where DateTimeFormatter and String.format showed up in profiles.
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(30);
    int year = d.getYear();
    if (year < 0 || year > 9999) {
      return SECONDS.format(t) + "Z";
    }
    pad(b, year, 4).append('-');
    pad(b, d.getMonthValue(), 2).append('-');
    pad(b, d.getDayOfMonth(), 2).append('T');
    pad(b, d.getHour(), 2).append(':');
    pad(b, d.getMinute(), 2).append(':');
    pad(b, d.getSecond(), 2);
    int nanos = t.getNano();
    if (nanos != 0) {
      int digits = 9;
      while (nanos % 10 == 0) {
        nanos /= 10;
        digits--;
      }
      b.append('.');
      pad(b, nanos, digits);
    }
    return b.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }

  private static void writeMap(JsonGenerator g, String field, Map<String, String> map)
      throws IOException {
    g.writeFieldName(field);
    writeMap(g, map);
  }

  private static void writeMap(JsonGenerator g, Map<String, String> map) throws IOException {
    g.writeStartObject();
    // an alert's labels and annotations come in key order (Alert keeps them so): no sorting
    if (map instanceof SortedMap<String, String> sorted && sorted.comparator() == null) {
      for (Map.Entry<String, String> e : map.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
    } else {
      // sorting the keys alone: a TreeMap per map per alert per delivery showed in the profile
      String[] keys = map.keySet().toArray(new String[0]);
      Arrays.sort(keys);
      for (String key : keys) {
        g.writeStringField(key, map.get(key));
      }
    }
    g.writeEndObject();
  }
}
