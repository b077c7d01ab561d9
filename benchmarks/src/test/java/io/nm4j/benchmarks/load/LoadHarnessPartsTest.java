package io.nm4j.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.AlertmanagerWebhook;
import io.nm4j.core.delivery.DeliveryOptions;
import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadHarnessPartsTest {
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void webhookRequestHoldsConsecutiveIdsOfOneNamespaceAndDecodes() {
    AlertBatch batch =
        AlertmanagerWebhook.decode(LoadAlerts.webhookRequest(3, 100, false, LoadAlerts.now()));

    assertThat(batch.alerts()).hasSize(100);
    assertThat(batch.alerts()).extracting(Alert::namespace).containsOnly("ns-3");
    assertThat(batch.alerts().get(0).labels()).containsEntry("id", "300");
    assertThat(batch.alerts().get(99).labels()).containsEntry("id", "399");
  }

  @Test
  void fingerprintsAreSixteenHexDigitsAsAlertmanagerWritesThem() {
    assertThat(LoadAlerts.fingerprint(0)).isEqualTo("0000000000000000");
    assertThat(LoadAlerts.fingerprint(1)).isEqualTo(String.format("%016x", 0x9E3779B97F4A7C15L));
    assertThat(LoadAlerts.fingerprint(12345))
        .isEqualTo(String.format("%016x", 12345 * 0x9E3779B97F4A7C15L));
  }

  @Test
  void percentilesAreNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(LatencyRun.Latencies.percentile(sorted, 50)).isEqualTo(50);
    assertThat(LatencyRun.Latencies.percentile(sorted, 99)).isEqualTo(99);
    assertThat(LatencyRun.Latencies.of(new long[] {5, 1, 3}))
        .isEqualTo(new LatencyRun.Latencies(3, 3, 5, 5));
  }

  @Test
  void anOpenLoopRunTimesEveryAlertFromItsAcceptanceToTheSink() throws Exception {
    java.util.concurrent.ScheduledExecutorService scheduler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try (CountingSink sink = new CountingSink(200, 2);
        Nm4jUnderTest nm4j = startNm4j(sink, Nm4jUnderTest.JournalKind.FILE)) {
      LatencyRun.Result result =
          new LatencyRun(scheduler, http).run(sink, URI.create(nm4j.intakeUrl()), 100, 2, 10, 30);

      assertThat(result.missing()).isZero();
      assertThat(result.rejected()).isZero();
      assertThat(result.toGlobal().count()).isEqualTo(200);
      assertThat(result.toTenant().count()).isEqualTo(200);
      assertThat(result.toGlobal().max()).isGreaterThanOrEqualTo(result.toGlobal().p99());
      assertThat(sink.counter(Nm4jUnderTest.GLOBAL_PATH).firstArrivalNanos(199))
          .isNotEqualTo(Long.MIN_VALUE);
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void spreadWebhookRequestCoversAllNamespaces() {
    AlertBatch batch =
        AlertmanagerWebhook.decode(LoadAlerts.webhookRequest(0, 100, true, LoadAlerts.now()));

    assertThat(batch.alerts()).extracting(Alert::namespace).doesNotHaveDuplicates().hasSize(100);
  }

  @Test
  void alertmanagerInputHasOneObjectPerAlertWithoutStartsAt() {
    String json = new String(LoadAlerts.alertmanagerInput(200, 0), StandardCharsets.UTF_8);

    assertThat(json).doesNotContain("startsAt");
    assertThat(json.split("\"alertname\":\"Load\"", -1)).hasSize(201);
    assertThat(json).contains("\"namespace\":\"ns-99\",\"id\":\"199\"");
  }

  @Test
  void sinkCountsEachIdOnceAndIgnoresCommonLabels() throws Exception {
    try (CountingSink sink = new CountingSink(2, 1)) {
      String body =
          "{\"alerts\":[{\"labels\":{\"alertname\":\"Load\",\"id\":\"0\"}},"
              + "{\"labels\":{\"id\":\"0\",\"namespace\":\"ns-0\"}}],"
              + "\"commonLabels\":{\"id\":\"1\"},\"groupLabels\":{\"id\":\"1\"}}";
      assertThat(post(sink.url("/p"), body)).isEqualTo(200);
      CountingSink.Counter counter = sink.counter("/p");
      assertThat(counter.distinct()).isEqualTo(1);
      assertThat(counter.alerts()).isEqualTo(2);

      assertThat(post(sink.url("/p"), "{\"alerts\":[{\"labels\":{\"id\":\"1\"}}]}")).isEqualTo(200);
      assertThat(counter.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(counter.requests()).isEqualTo(2);
      assertThat(sink.counter("/other").distinct()).isZero();
    }
  }

  @Test
  void aSinkStartedOverCountsOnlyTheNextRunsIdsAndTheLateOnesOfAnEarlierRunApart()
      throws Exception {
    try (CountingSink sink = new CountingSink(2, 1)) {
      assertThat(post(sink.url("/p"), "{\"alerts\":[{\"labels\":{\"id\":\"0\"}}]}")).isEqualTo(200);
      assertThat(sink.counter("/p").distinct()).isEqualTo(1);

      sink.startOver(2, 2);
      CountingSink.Counter next = sink.counter("/p");
      assertThat(next.requests()).isZero();
      // the earlier run's missing id arrives late: neither this run's alert nor its request
      assertThat(post(sink.url("/p"), "{\"alerts\":[{\"labels\":{\"id\":\"1\"}}]}")).isEqualTo(200);
      assertThat(next.outsideRun()).isEqualTo(1);
      assertThat(next.distinct()).isZero();
      assertThat(next.alerts()).isZero();
      assertThat(next.requests()).isZero();
      assertThat(next.firstRequestNanos()).isEqualTo(Long.MIN_VALUE);
      assertThat(next.firstArrivalNanos(1)).isEqualTo(Long.MIN_VALUE);

      assertThat(
              post(
                  sink.url("/p"),
                  "{\"alerts\":[{\"labels\":{\"id\":\"2\"}}," + "{\"labels\":{\"id\":\"4\"}}]}"))
          .isEqualTo(200);
      assertThat(next.distinct()).isEqualTo(1);
      assertThat(next.outsideRun()).isEqualTo(2);
      assertThat(next.completeNanos()).isEqualTo(Long.MIN_VALUE);
      assertThat(post(sink.url("/p"), "{\"alerts\":[{\"labels\":{\"id\":\"3\"}}]}")).isEqualTo(200);
      assertThat(next.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(next.requests()).isEqualTo(2);
      assertThat(next.firstArrivalNanos(3)).isNotEqualTo(Long.MIN_VALUE);
    }
  }

  @Test
  void runsOnARunningServerTakeIdsNoEarlierRunOnItPosted() throws Exception {
    try (RunningServer server =
        RunningServer.start(
            OptionalInt.of(2), DeliveryOptions.defaults(), Nm4jUnderTest.JournalKind.MEMORY)) {
      assertThat(server.takeIds(250, 100)).isZero();
      // an Alertmanager run takes any ids; a direct run's start at a request boundary
      assertThat(server.takeIds(30, 1)).isEqualTo(250);
      assertThat(server.takeIds(200, 100)).isEqualTo(300);
      assertThat(server.takeIds(1, 1)).isEqualTo(500);
    }
  }

  @Test
  void alertmanagerInputsOfSuccessiveRunsHaveIdsOfTheirOwnInTheSameNamespaces() {
    String second = new String(LoadAlerts.alertmanagerInput(200, 200), StandardCharsets.UTF_8);

    assertThat(second).contains("\"namespace\":\"ns-0\",\"id\":\"200\"");
    assertThat(second).contains("\"namespace\":\"ns-99\",\"id\":\"399\"");
    assertThat(second).doesNotContain("\"id\":\"199\"");
  }

  @ParameterizedTest
  @EnumSource(Nm4jUnderTest.JournalKind.class)
  void nm4jDeliversEveryAlertToTheGlobalAndToItsTenantReceiver(Nm4jUnderTest.JournalKind journal)
      throws Exception {
    try (CountingSink sink = new CountingSink(200, 2);
        Nm4jUnderTest nm4j = startNm4j(sink, journal)) {
      String startsAt = LoadAlerts.now();
      for (int r = 0; r < 2; r++) {
        byte[] body = LoadAlerts.webhookRequest(r, 100, r == 1, startsAt);
        assertThat(post(nm4j.intakeUrl(), new String(body, StandardCharsets.UTF_8))).isEqualTo(200);
      }

      CountingSink.Counter global = sink.counter(Nm4jUnderTest.GLOBAL_PATH);
      CountingSink.Counter tenant = sink.counter(Nm4jUnderTest.TENANT_PATH);
      assertThat(global.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(tenant.await(30, TimeUnit.SECONDS)).isTrue();
      // one notification per request for the global receiver; per namespace for the tenants
      assertThat(global.requests()).isEqualTo(2);
      assertThat(tenant.requests()).isEqualTo(1 + 100);
      assertThat(global.alerts()).isEqualTo(200);
      assertThat(tenant.alerts()).isEqualTo(200);
    }
  }

  @Test
  void fileJournalLivesInATemporaryDirectoryRemovedOnClose() throws Exception {
    Path dir;
    try (CountingSink sink = new CountingSink(100, 2);
        Nm4jUnderTest nm4j = startNm4j(sink, Nm4jUnderTest.JournalKind.FILE)) {
      dir = nm4j.journalDir();
      assertThat(dir).isNotNull().isDirectory();
      byte[] body = LoadAlerts.webhookRequest(0, 100, false, LoadAlerts.now());
      assertThat(post(nm4j.intakeUrl(), new String(body, StandardCharsets.UTF_8))).isEqualTo(200);
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files).isNotEmpty();
      }
      assertThat(sink.counter(Nm4jUnderTest.GLOBAL_PATH).await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(dir).doesNotExist();
  }

  @Test
  void aRunningServerPostsEveryRunThroughOneClientWhoseThreadsEndWithIt() throws Exception {
    RunningServer server =
        RunningServer.start(
            OptionalInt.of(2), DeliveryOptions.defaults(), Nm4jUnderTest.JournalKind.MEMORY);
    List<Thread> clientThreads;
    try (server) {
      for (int r = 0; r < 2; r++) {
        HttpResponse<Void> response =
            server.client.send(
                LoadAlerts.intakePost(
                    server.intake, LoadAlerts.webhookRequest(r, 10, false, LoadAlerts.now())),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
      }
      clientThreads =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("client-io-"))
              .toList();
      assertThat(clientThreads).isNotEmpty();
    }

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> clientThreads.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void anAlertmanagerWarmUpLongerThanTheCapSaysItRanTheRunsAskedFor() {
    assertThat(LoadHarness.alertmanagerWarmUpEnd(20, false))
        .isEqualTo("the 20 runs of --am-warmup, the JIT still compiling");
    assertThat(LoadHarness.alertmanagerWarmUpEnd(15, false))
        .isEqualTo("the cap of 15 runs, the JIT still compiling");
    assertThat(LoadHarness.alertmanagerWarmUpEnd(20, true))
        .isEqualTo("the JIT compiled for at most 1% of each run of both paths, 3 runs in a row");
  }

  @Test
  void theAlertmanagerWarmUpEndsOnlyAfterThreeQuietPairsInARowOrTheCap() {
    // the runs asked for come first, quiet or not
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(1, 3, 2)).isTrue();
    // one or two quiet pairs do not end it: the compiler took up larger methods after one
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(2, 1, 1)).isTrue();
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(4, 2, 1)).isTrue();
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(4, 3, 1)).isFalse();
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(14, 0, 1)).isTrue();
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(15, 0, 1)).isFalse();
    // more runs asked for than the cap: exactly those
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(19, 3, 20)).isTrue();
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(20, 0, 20)).isFalse();
    // --am-warmup 0: none
    assertThat(LoadHarness.alertmanagerWarmUpGoesOn(0, 0, 0)).isFalse();
  }

  @Test
  void aReadinessProbeThatTimesOutOnABusyMachineIsRetriedAndOtherFailuresAreNot() {
    assertThat(AlertmanagerProcess.notReadyYet(new ConnectException("refused"))).isTrue();
    assertThat(AlertmanagerProcess.notReadyYet(new HttpConnectTimeoutException("connect")))
        .isTrue();
    assertThat(AlertmanagerProcess.notReadyYet(new HttpTimeoutException("request"))).isTrue();
    assertThat(AlertmanagerProcess.notReadyYet(new IOException("reset"))).isFalse();
  }

  @Test
  void aJvmIsStillWhileItUsesAtMostFivePercentOfOneCoreAndNotWhileACompilerThreadWorks() {
    long halfSecond = TimeUnit.MILLISECONDS.toNanos(500);
    assertThat(Quiet.idle(TimeUnit.MILLISECONDS.toNanos(5), halfSecond)).isTrue();
    assertThat(Quiet.idle(TimeUnit.MILLISECONDS.toNanos(25), halfSecond)).isTrue();
    // a compiler thread getting a fifth of a core on a busy machine
    assertThat(Quiet.idle(TimeUnit.MILLISECONDS.toNanos(100), halfSecond)).isFalse();
  }

  @Test
  void theAlertmanagerPathsTakeTurnsGoingFirst() {
    assertThat(IntStream.rangeClosed(1, 6).mapToObj(LoadHarness::nm4jFirst).toList())
        .containsExactly(false, true, false, true, false, true);
  }

  @Test
  void aRunIsQuietWhenTheJitCompiledForAtMostOnePercentOfIt() {
    assertThat(amRun(1.5, 15).jitQuiet()).isTrue();
    assertThat(amRun(1.5, 16).jitQuiet()).isFalse();
    assertThat(amRun(Double.NaN, 0).jitQuiet()).isFalse();
  }

  @Test
  void theFirstRunOfEachPathIsReportedApartWithItsRatioAndCompileTimes() {
    assertThat(LoadHarness.coldServer(amRun(1.5, 100), amRun(1.8, 500)))
        .isEqualTo(
            "first run of each path, before the Alertmanager warm-up (not a result): 1.500 s"
                + " direct, 1.800 s through nm4j, ratio 1.200; the JIT compiling for 100 ms and"
                + " 500 ms");
    assertThat(LoadHarness.coldServer(amRun(1.5, 100), amRun(Double.NaN, 500)))
        .isEqualTo("first run of each path (not a result): incomplete");
  }

  /** An Alertmanager run that took {@code seconds} until the sink had every alert. */
  private static LoadHarness.AmRun amRun(double seconds, long compiledMillis) {
    return new LoadHarness.AmRun(
        0.2, 1.2, seconds, 100, 10_000, seconds, 100, 0, 0.3, compiledMillis, 500);
  }

  @Test
  void journalOptionTakesAListAndRejectsUnknownKinds() {
    assertThat(LoadHarness.Options.parse(new String[] {"--journal", "file"}).journals)
        .containsExactly(Nm4jUnderTest.JournalKind.FILE);
    assertThat(LoadHarness.Options.parse(new String[0]).journals)
        .containsExactly(Nm4jUnderTest.JournalKind.MEMORY, Nm4jUnderTest.JournalKind.FILE);
    assertThatThrownBy(() -> LoadHarness.Options.parse(new String[] {"--journal", "disk"}))
        .hasMessage("--journal: must be memory or file, was \"disk\"");
  }

  @Test
  void nm4jRunsWithTheServersAndTheLibrarysDefaultsUnlessTheOptionsSayOtherwise() {
    LoadHarness.Options defaults = LoadHarness.Options.parse(new String[0]);
    assertThat(defaults.serverThreads).isEmpty();
    assertThat(defaults.delivery()).isEqualTo(DeliveryOptions.defaults());

    LoadHarness.Options given =
        LoadHarness.Options.parse(new String[] {"--server-threads", "8", "--max-in-flight", "4"});
    assertThat(given.serverThreads).hasValue(8);
    assertThat(given.delivery().maxInFlightPerReceiver()).isEqualTo(4);
    assertThatThrownBy(() -> LoadHarness.Options.parse(new String[] {"--max-in-flight", "0"}))
        .hasMessage("--max-in-flight: must be at least 1, was 0");
  }

  /** nm4j with 2 intake threads and the library's delivery defaults. */
  private static Nm4jUnderTest startNm4j(CountingSink sink, Nm4jUnderTest.JournalKind journal)
      throws Exception {
    return Nm4jUnderTest.start(sink, OptionalInt.of(2), DeliveryOptions.defaults(), journal);
  }

  private int post(String url, String body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
