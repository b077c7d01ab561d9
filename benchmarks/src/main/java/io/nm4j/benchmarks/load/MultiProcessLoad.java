package io.nm4j.benchmarks.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load harness's multi-process mode: 1, 2, 3... nm4j server processes ({@code nm4j.jar serve
 * --kafka-bootstrap}) sharing one Kafka broker, a counting sink, and clients that spread webhook
 * batches over the processes round-robin. Per process count it prints alerts/s (first POST until
 * every receiver has every alert) and the p50/p99 latency from a batch's POST to its arrival at
 * each receiver.
 *
 * <pre>
 * java -cp nm-kafka/target/test-classes:$(cat kafka-test.cp) io.nm4j.kafka.KafkaBroker &amp;
 * java -cp benchmarks/target/benchmarks.jar io.nm4j.benchmarks.load.MultiProcessLoad \
 *     --kafka-bootstrap HOST:PORT --processes 1,2,3
 * </pre>
 */
public final class MultiProcessLoad {
  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");
  private static final JsonFactory JSON = new JsonFactory();

  private MultiProcessLoad() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = null;
    List<Integer> processes = List.of(1, 2, 3);
    int alerts = 40_000;
    int perRequest = 100;
    int clients = 8;
    int receivers = 8;
    int partitions = 12;
    Path jar = Path.of("nm-server", "target", "nm4j.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--kafka-bootstrap" -> bootstrap = args[++i];
        case "--processes" ->
            processes = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
        case "--alerts" -> alerts = Integer.parseInt(args[++i]);
        case "--per-request" -> perRequest = Integer.parseInt(args[++i]);
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--receivers" -> receivers = Integer.parseInt(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--nm4j-jar" -> jar = Path.of(args[++i]);
        default -> {
          System.out.println(
              "usage: MultiProcessLoad --kafka-bootstrap HOST:PORT [--processes 1,2,3]"
                  + " [--alerts 40000] [--per-request 100] [--clients 8] [--receivers 8]"
                  + " [--partitions 12] [--nm4j-jar nm-server/target/nm4j.jar]");
          return;
        }
      }
    }
    if (bootstrap == null) {
      throw new IllegalArgumentException("--kafka-bootstrap is required");
    }
    System.out.printf(
        "%d alerts, %d per request, %d clients, %d global receivers, %d partitions, %d cores%n",
        alerts,
        perRequest,
        clients,
        receivers,
        partitions,
        Runtime.getRuntime().availableProcessors());
    for (int n : processes) {
      run(bootstrap, n, alerts, perRequest, clients, receivers, partitions, jar);
    }
  }

  private static void run(
      String bootstrap,
      int processCount,
      int alerts,
      int perRequest,
      int clients,
      int receivers,
      int partitions,
      Path jar)
      throws Exception {
    int requests = alerts / perRequest;
    Path dir = Files.createTempDirectory("nm4j-multi");
    String run = "load-" + processCount + "-" + Instant.now().toEpochMilli();
    try (Sink sink = new Sink(receivers, requests, perRequest)) {
      Path config = Files.createDirectories(dir.resolve("config"));
      StringBuilder yaml = new StringBuilder();
      for (int r = 0; r < receivers; r++) {
        yaml.append(
            """
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookConfig
            metadata: {name: hook-%1$d, namespace: kubesphere-monitoring-system, labels: {to: r%1$d}}
            spec: {url: "%2$s"}
            ---
            apiVersion: notification.kubesphere.io/v1alpha1
            kind: WebhookReceiver
            metadata: {name: ops-%1$d, namespace: kubesphere-monitoring-system, labels: {type: global}}
            spec: {webhookConfigSelector: {matchLabels: {to: r%1$d}}}
            """
                .formatted(r, sink.url(r)));
      }
      Files.writeString(config.resolve("load.yaml"), yaml);
      List<Process> children = new ArrayList<>();
      List<Integer> ports = new ArrayList<>();
      try {
        for (int p = 0; p < processCount; p++) {
          Path log = dir.resolve("nm4j-" + p + ".log");
          ProcessBuilder pb =
              new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-Xmx256m",
                  "-jar",
                  jar.toString(),
                  "serve",
                  "--config",
                  config.toString(),
                  "--listen",
                  "127.0.0.1:0",
                  "--admin-listen",
                  "127.0.0.1:0",
                  "--data-dir",
                  dir.resolve("data-" + p).toString(),
                  "--kafka-bootstrap",
                  bootstrap,
                  "--kafka-topic",
                  run,
                  "--kafka-group",
                  run,
                  "--kafka-replica",
                  "r" + p,
                  "--kafka-partitions",
                  String.valueOf(partitions));
          pb.redirectErrorStream(true);
          pb.redirectOutput(log.toFile());
          children.add(pb.start());
          ports.add(awaitPort(log));
        }
        HttpClient client = HttpClient.newHttpClient();
        for (int port : ports) {
          awaitReady(client, port);
        }
        // the group settles: every process owns its partitions before the clock starts
        Thread.sleep(3_000);
        long[] cpuBefore = cpu(children);
        long[] posted = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        String startsAt = Instant.now().toString();
        long start = System.nanoTime();
        sink.start(start);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
          Thread t =
              new Thread(
                  () -> {
                    for (int r; (r = next.getAndIncrement()) < requests; ) {
                      byte[] body = LoadAlerts.webhookRequest(r, perRequest, false, startsAt);
                      posted[r] = System.nanoTime();
                      for (int attempt = 0; ; attempt++) {
                        int port = ports.get((r + attempt) % ports.size());
                        if (post(client, port, body)) {
                          break;
                        }
                        refused.incrementAndGet();
                      }
                    }
                  });
          threads.add(t);
          t.start();
        }
        for (Thread t : threads) {
          t.join();
        }
        long intakeDone = System.nanoTime();
        if (!sink.await(Duration.ofMinutes(5))) {
          System.out.printf("%d process(es): timed out%n", processCount);
          return;
        }
        long end = sink.completeNanos();
        long[] cpuAfter = cpu(children);
        List<Long> latencies = sink.latencies(posted);
        double seconds = (end - start) / 1e9;
        double cpuSeconds = 0;
        for (int p = 0; p < cpuAfter.length; p++) {
          cpuSeconds += (cpuAfter[p] - cpuBefore[p]) / 1e9;
        }
        System.out.printf(
            "%d process(es): %,.0f alerts/s delivered to all %d receivers (intake %,.0f/s),"
                + " latency POST->receiver p50 %d ms, p99 %d ms, %d refusals retried, nm4j CPU"
                + " %.1f s (%.0f alerts per CPU-second), load average %.1f%n",
            processCount,
            alerts / seconds,
            receivers,
            alerts / ((intakeDone - start) / 1e9),
            percentile(latencies, 50),
            percentile(latencies, 99),
            refused.get(),
            cpuSeconds,
            alerts / cpuSeconds,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      } finally {
        for (Process p : children) {
          p.destroy();
        }
        for (Process p : children) {
          if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        }
      }
    }
  }

  /** CPU time of each child so far, from {@code ProcessHandle}, in nanoseconds. */
  private static long[] cpu(List<Process> children) {
    long[] nanos = new long[children.size()];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = children.get(i).info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
    return nanos;
  }

  private static long percentile(List<Long> sortedMillis, int p) {
    if (sortedMillis.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(p / 100.0 * sortedMillis.size()) - 1;
    return sortedMillis.get(Math.max(0, i));
  }

  private static boolean post(HttpClient client, int port, byte[] body) {
    try {
      HttpResponse<Void> r =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v2/alerts"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int awaitPort(Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no server listening; see " + log);
  }

  private static void awaitReady(HttpClient client, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("server on port " + port + " never ready");
  }

  /**
   * Receivers' endpoint: for each receiver path {@code /r<k>}, when each request's alerts first
   * arrived (the request is known by its first alert's id).
   */
  private static final class Sink implements AutoCloseable {
    private final HttpServer http;
    private final int requests;
    private final AtomicLongArray[] arrivals;
    private final AtomicInteger left;
    private final CountDownLatch complete = new CountDownLatch(1);
    private final ConcurrentHashMap<String, Integer> paths = new ConcurrentHashMap<>();
    private final int perRequest;
    private volatile long completeNanos;

    Sink(int receivers, int requests, int perRequest) throws IOException {
      this.requests = requests;
      this.perRequest = perRequest;
      this.arrivals = new AtomicLongArray[receivers];
      for (int r = 0; r < receivers; r++) {
        arrivals[r] = new AtomicLongArray(requests);
        paths.put("/r" + r, r);
      }
      this.left = new AtomicInteger(receivers * requests);
      this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
      http.setExecutor(Executors.newFixedThreadPool(8));
      http.createContext("/", this::handle);
      http.start();
    }

    String url(int receiver) {
      return "http://127.0.0.1:" + http.getAddress().getPort() + "/r" + receiver;
    }

    void start(long nanos) {
      completeNanos = nanos;
    }

    private void handle(HttpExchange x) throws IOException {
      try (x) {
        long now = System.nanoTime();
        Integer receiver = paths.get(x.getRequestURI().getPath());
        int firstId;
        try (InputStream in = x.getRequestBody()) {
          firstId = firstId(in);
        }
        if (receiver == null || firstId < 0) {
          x.sendResponseHeaders(400, -1);
          return;
        }
        int request = firstId / perRequest;
        if (request < requests && arrivals[receiver].compareAndSet(request, 0, now)) {
          if (left.decrementAndGet() == 0) {
            completeNanos = now;
            complete.countDown();
          }
        }
        x.sendResponseHeaders(200, -1);
      }
    }

    /** The first alert's {@code id} label, or -1. */
    private static int firstId(InputStream in) throws IOException {
      try (JsonParser p = JSON.createParser(in)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          if (t == JsonToken.FIELD_NAME && "id".equals(p.currentName())) {
            p.nextToken();
            return Integer.parseInt(p.getText());
          }
        }
      }
      return -1;
    }

    boolean await(Duration timeout) throws InterruptedException {
      return complete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    long completeNanos() {
      return completeNanos;
    }

    /** Milliseconds from each request's POST to its arrival at each receiver, sorted. */
    List<Long> latencies(long[] posted) {
      List<Long> out = new ArrayList<>();
      for (AtomicLongArray receiver : arrivals) {
        for (int r = 0; r < requests; r++) {
          out.add(TimeUnit.NANOSECONDS.toMillis(receiver.get(r) - posted[r]));
        }
      }
      out.sort(null);
      return out;
    }

    @Override
    public void close() {
      http.stop(0);
    }
  }
}
