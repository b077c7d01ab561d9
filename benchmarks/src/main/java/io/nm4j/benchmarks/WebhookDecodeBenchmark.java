package io.nm4j.benchmarks;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.spi.AlertBatch;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decoding one Alertmanager webhook body of 100 alerts of one namespace, shaped as Alertmanager
 * sends them (the load harness's direct-intake request): what intake pays per request before
 * routing. Average time per body.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class WebhookDecodeBenchmark {
  private final byte[] body = body();

  @Benchmark
  public AlertBatch decodeHundredAlerts() {
    return AlertmanagerWebhook.decode(body);
  }

  private static byte[] body() {
    StringBuilder sb =
        new StringBuilder("{\"receiver\":\"nm4j\",\"status\":\"firing\",\"alerts\":[");
    for (int id = 0; id < 100; id++) {
      if (id > 0) {
        sb.append(',');
      }
      sb.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"Load\",\"id\":\"")
          .append(id)
          .append("\",\"namespace\":\"ns-7\",\"severity\":\"warning\"},")
          .append("\"annotations\":{\"summary\":\"load alert ")
          .append(id)
          .append("\"},\"startsAt\":\"2026-01-05T08:00:00.123456789Z\",")
          .append("\"endsAt\":\"0001-01-01T00:00:00Z\",")
          .append("\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up\",\"fingerprint\":\"")
          .append(Long.toHexString(0x8000000000000000L | id))
          .append("\"}");
    }
    sb.append(
        "],\"groupLabels\":{\"namespace\":\"ns-7\"},\"commonLabels\":{\"alertname\":\"Load\","
            + "\"namespace\":\"ns-7\"},\"commonAnnotations\":{},\"externalURL\":"
            + "\"http://alertmanager:9093\",\"version\":\"4\",\"groupKey\":"
            + "\"{}:{namespace=\\\"ns-7\\\"}\",\"truncatedAlerts\":0}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }
}
