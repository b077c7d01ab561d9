package io.nm4j.benchmarks.load;

import io.nm4j.core.delivery.DeliveryOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The end-to-end load harness. In one run, everything on 127.0.0.1:
 *
 * <ol>
 *   <li>Alertmanager → counting sink: 10,000 firing alerts in one POST to a fresh Alertmanager
 *       ({@code group_by: ['namespace']}, group wait and interval 1 s), timed from the start of the
 *       POST until the sink has all 10,000 distinct alerts;
 *   <li>Alertmanager → nm4j → sink: the same with Alertmanager's webhook pointing at an in-process
 *       nm4j server (one global and 100 tenant webhook receivers), timed until the global
 *       receiver's sink path has all 10,000;
 *   <li>both repeated (interleaved, each path first in every other run, a fresh Alertmanager each
 *       time; the sinks and the nm4j server run throughout, as servers do), after untimed runs
 *       until the JIT is quiet, min and median and their ratio;
 *   <li>direct intake: webhook batches of 100 alerts posted straight to nm4j by several client
 *       threads, alerts per second from the first POST until the sink has them all, and the largest
 *       heap use.
 * </ol>
 *
 * <p>Run with {@code java -Xmx256m -cp benchmarks/target/benchmarks.jar
 * io.nm4j.benchmarks.load.LoadHarness [options]}; {@code --help} lists the options.
 */
public final class LoadHarness {
  private static final PrintStream OUT = System.out;
  private static final int WARMUP_ROUND_BATCHES = 500;
  private static final int WARMUP_MAX_BATCHES = 10_000;

  /** Untimed runs of each Alertmanager path at most, when the JIT does not go quiet sooner. */
  private static final int AM_WARMUP_MAX_RUNS = 15;

  /**
   * Pairs of untimed Alertmanager runs in a row, each run of both paths with the JIT compiling for
   * at most {@link #AM_WARMUP_QUIET_SHARE} of it, that end the Alertmanager warm-up. One quiet run
   * was not enough: C2 took up larger methods again in the next ones, inside the timed runs.
   */
  private static final int AM_WARMUP_QUIET_RUNS = 3;

  /**
   * The share of a run's wall time the JIT may compile for in a quiet Alertmanager warm-up run. A
   * run is about 1.5 s, mostly Alertmanager's group wait, and nm4j's path is 0.1 s longer than the
   * sink's: 5% of a run (75 ms) compiling on one of the two cores was enough to decide the ratio.
   */
  private static final double AM_WARMUP_QUIET_SHARE = 0.01;

  /** A warm-up round whose compiles took less than this share of its wall time ends it. */
  private static final double WARMUP_QUIET_SHARE = 0.05;

  private final Options options;
  private final HeapSampler heap = new HeapSampler(5);

  /**
   * The client that posts the alerts to each Alertmanager run, made once: a client per run started
   * its selector thread and built its first request's machinery inside the timed window.
   */
  private final HttpClient alertmanagerClient =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /**
   * One nm4j server and its sink per journal, started for the warm-up and kept for the direct runs
   * and the path through Alertmanager: measured as it was warmed, like a server that runs. A fresh
   * server per run connected to the sink anew, took branches its warmed code had never taken (C2
   * deoptimised and compiled them again inside the timed run), and registered its metric series.
   */
  private final Map<Nm4jUnderTest.JournalKind, RunningServer> servers =
      new EnumMap<>(Nm4jUnderTest.JournalKind.class);

  private LoadHarness(Options options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    // The JDK reads this once, at its first HttpServer: the counting sink runs on it, and with
    // Nagle on every answer on loopback waits ~40 ms for the client's delayed ACK.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("load harness: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (options.help) {
      OUT.println(Options.USAGE);
      return;
    }
    try {
      new LoadHarness(options).run();
    } catch (Exception e) {
      // the running servers' threads would keep the JVM, and a recording of it, alive for ever
      e.printStackTrace();
      System.exit(1);
    }
    // daemon threads of closed servers and clients may linger briefly; nothing is left to do
    System.exit(0);
  }

  private void run() throws Exception {
    OUT.printf(
        Locale.ROOT,
        "nm4j load harness: %d CPUs, max heap %s, Java %s, load average %s%n",
        Runtime.getRuntime().availableProcessors(),
        mib(heap.limit()),
        System.getProperty("java.version"),
        loadAverage());
    if (options.warmupBatches > 0) {
      warmUp();
    }
    if (options.alertmanagerRuns > 0) {
      Path binary = options.alertmanager != null ? options.alertmanager : findAlertmanager();
      alertmanagerPaths(binary);
    }
    for (int rate : options.latencyRates) {
      latency(rate);
    }
    // Each size with each journal, back to back: the journal's cost is the difference in one run.
    for (int n : options.directCounts) {
      for (Nm4jUnderTest.JournalKind journal : options.journals) {
        directIntake(n, journal);
      }
    }
    OUT.printf(Locale.ROOT, "%nload average at the end: %s%n", loadAverage());
    for (RunningServer server : servers.values()) {
      server.close();
    }
    heap.close();
  }

  /** The running server of a journal, started at its first use. */
  private RunningServer server(Nm4jUnderTest.JournalKind journal) throws IOException {
    RunningServer server = servers.get(journal);
    if (server == null) {
      server = RunningServer.start(options.serverThreads, options.delivery(), journal);
      servers.put(journal, server);
    }
    return server;
  }

  /**
   * Leaves nm4j's per-batch code compiled by C2, as in a server that has run for a while;
   * Alertmanager, a Go binary, needs no warm-up. Every journal a run uses is warmed (the file
   * journal's writer is code of its own), in rounds of {@link #WARMUP_ROUND_BATCHES} batches of the
   * timed shape, until at least {@code --warmup-batches} went through and a round's timed window
   * left the compilers nearly idle. All rounds of a journal drive one server: when each round
   * started a server of its own, that start-up's compilations (YAML, templates, code no batch runs)
   * kept every round busy and only the cap ended the warm-up. Methods called once per batch, such
   * as rendering a webhook body, reach C2 only after several thousand batches.
   */
  private void warmUp() throws Exception {
    for (Nm4jUnderTest.JournalKind journal : warmedJournals()) {
      OUT.printf(
          Locale.ROOT,
          "%nWarm-up (not a result), %s: the server the runs use, rounds of %,d batches%n",
          journal,
          WARMUP_ROUND_BATCHES);
      int batches = 0;
      boolean quiet = false;
      RunningServer server = server(journal);
      while (batches < WARMUP_MAX_BATCHES && !(quiet && batches >= options.warmupBatches)) {
        DirectRun round = drive(server, WARMUP_ROUND_BATCHES, "warm-up round");
        batches += WARMUP_ROUND_BATCHES;
        long windowMillis = TimeUnit.NANOSECONDS.toMillis(round.wallNanos());
        quiet = jitQuiet(round.compiledMillis(), windowMillis, WARMUP_QUIET_SHARE);
        OUT.printf(
            Locale.ROOT,
            "  warm-up: %,d batches so far; the JIT compiled for %,d ms in this round's %,d ms"
                + " (%s)%n",
            batches,
            round.compiledMillis(),
            windowMillis,
            !Quiet.jitTimed() ? "not measured" : quiet ? "quiet" : "still compiling");
      }
      OUT.printf(
          Locale.ROOT,
          "  warm-up ended after %,d batches: %s%n",
          batches,
          warmUpEnd(
              quiet,
              "the JIT compiled for at most 5% of a round",
              "the cap of " + WARMUP_MAX_BATCHES + " batches"));
    }
  }

  /**
   * Whether the JIT compiled for at most {@code share} of a window of {@code windowMillis} (NaN for
   * a run that did not complete, never quiet); true if the JVM cannot tell, so that a warm-up does
   * not run to its cap for nothing.
   */
  private static boolean jitQuiet(long compiledMillis, double windowMillis, double share) {
    return !Quiet.jitTimed() || compiledMillis <= windowMillis * share;
  }

  /**
   * Why a warm-up ended: the JIT {@code quiet}, as {@code quietWhy} says, or else {@code limit},
   * what it ran up to.
   */
  private static String warmUpEnd(boolean quiet, String quietWhy, String limit) {
    return !Quiet.jitTimed()
        ? "the JIT's compile time is not measured in this JVM"
        : quiet ? quietWhy : limit + ", the JIT still compiling";
  }

  /** The journals of the runs asked for, each once: the ones the warm-up has to compile. */
  private List<Nm4jUnderTest.JournalKind> warmedJournals() {
    List<Nm4jUnderTest.JournalKind> journals = new ArrayList<>();
    if (options.directCounts.length > 0) {
      journals.addAll(options.journals);
    }
    if ((options.alertmanagerRuns > 0 || options.latencyRates.length > 0)
        && !journals.contains(options.amJournal)) {
      journals.add(options.amJournal);
    }
    return journals.isEmpty() ? List.of(options.journals.get(0)) : journals;
  }

  /** The one-minute load average: figures taken on a busy machine are not comparable. */
  private static String loadAverage() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return load < 0 ? "unknown" : String.format(Locale.ROOT, "%.2f", load);
  }

  // ---- paths 1 and 2: through Alertmanager ----

  private void alertmanagerPaths(Path binary) throws Exception {
    int n = options.alerts;
    OUT.printf(
        Locale.ROOT,
        "%nAlertmanager paths: %s, %,d alerts in one POST, group_by [namespace], group_wait 1s,"
            + " %d runs each, nm4j with its %s, %s intake threads, %d in flight per receiver%n",
        binary,
        n,
        options.alertmanagerRuns,
        options.amJournal,
        options.serverThreads.isPresent() ? options.serverThreads.getAsInt() : "the server's",
        options.delivery().maxInFlightPerReceiver());
    List<AmRun> direct = new ArrayList<>();
    List<AmRun> viaNm4j = new ArrayList<>();
    AmRun @Nullable [] firstPair = null;
    // One sink for the direct path, and the running nm4j server with its sink for the other, kept
    // over all runs of each: a server that runs has its connections, metric series and compiled
    // code, and only Alertmanager starts afresh. Every run posts alerts of its own.
    RunningServer nm4j = server(options.amJournal);
    try (CountingSink directSink = new CountingSink(n, 2)) {
      int posted = 0;
      int warmups = 0;
      int quietInARow = 0;
      // Alertmanager's bodies, its HTTP client (a connection per group notification) and the file
      // journal take paths of their own through nm4j that the direct warm-up does not compile.
      while (alertmanagerWarmUpGoesOn(warmups, quietInARow, options.alertmanagerWarmupRuns)) {
        warmups++;
        AmRun[] pair =
            bothPaths(
                binary,
                directSink,
                posted,
                nm4j,
                nm4jFirst(warmups),
                "warm-up " + warmups + " (not a result)");
        posted += n;
        if (firstPair == null) {
          firstPair = pair;
        }
        quietInARow = pair[0].jitQuiet() && pair[1].jitQuiet() ? quietInARow + 1 : 0;
      }
      if (warmups > 0) {
        OUT.printf(
            Locale.ROOT,
            "  Alertmanager warm-up ended after %d runs of each path: %s%n",
            warmups,
            alertmanagerWarmUpEnd(warmups, quietInARow >= AM_WARMUP_QUIET_RUNS));
      }
      for (int run = 1; run <= options.alertmanagerRuns; run++) {
        AmRun[] pair = bothPaths(binary, directSink, posted, nm4j, nm4jFirst(run), "run " + run);
        posted += n;
        OUT.printf(Locale.ROOT, "         load average %s%n", loadAverage());
        if (pair[0].complete()) {
          direct.add(pair[0]);
        }
        if (pair[1].complete()) {
          viaNm4j.add(pair[1]);
        }
      }
    }
    if (direct.isEmpty() || viaNm4j.isEmpty()) {
      OUT.println("  incomplete runs: no ratio");
      return;
    }
    double minA = min(direct, AmRun::allSeconds);
    double minB = min(viaNm4j, AmRun::allSeconds);
    double medA = median(direct, AmRun::allSeconds);
    double medB = median(viaNm4j, AmRun::allSeconds);
    OUT.printf(
        Locale.ROOT, "  Alertmanager -> sink:         min %.3f s, median %.3f s%n", minA, medA);
    OUT.printf(
        Locale.ROOT, "  Alertmanager -> nm4j -> sink: min %.3f s, median %.3f s%n", minB, medB);
    OUT.printf(
        Locale.ROOT,
        "  ratio nm4j path / direct path: min %.3f, median %.3f (goal <= 1.10: %s)%n",
        minB / minA,
        medB / medA,
        medB / medA <= 1.10 ? "met" : "MISSED");
    OUT.printf(
        Locale.ROOT,
        "  CPU of this JVM per run, median: %.3f s direct (the sink), %.3f s through nm4j (nm4j"
            + " and the sink)%n",
        median(direct, AmRun::cpuSeconds),
        median(viaNm4j, AmRun::cpuSeconds));
    OUT.printf(
        Locale.ROOT,
        "  JIT compile time per measured run: %s ms direct, %s ms through nm4j%n",
        compiledMillis(direct),
        compiledMillis(viaNm4j));
    if (firstPair != null) {
      OUT.printf(Locale.ROOT, "  %s%n", coldServer(firstPair[0], firstPair[1]));
    }
  }

  /**
   * Whether the Alertmanager warm-up runs another pair after {@code runs}, the last {@code
   * quietInARow} of them quiet, when {@code --am-warmup} asked for {@code asked}: always up to
   * {@code asked}; then, unless {@code asked} is 0, until {@link #AM_WARMUP_QUIET_RUNS} quiet pairs
   * in a row or {@link #AM_WARMUP_MAX_RUNS} runs.
   */
  static boolean alertmanagerWarmUpGoesOn(int runs, int quietInARow, int asked) {
    return runs < asked
        || (asked > 0 && quietInARow < AM_WARMUP_QUIET_RUNS && runs < AM_WARMUP_MAX_RUNS);
  }

  /**
   * Whether the path through nm4j goes first in run or warm-up {@code run} of the Alertmanager
   * paths: every other one, so that what one run leaves behind (a collection due, compilations it
   * queued, Alertmanager's exit) falls on both paths alike.
   */
  static boolean nm4jFirst(int run) {
    return run % 2 == 0;
  }

  /** The JIT's compile time of each run, in the order they ran, e.g. {@code "0, 12, 3"}. */
  private static String compiledMillis(List<AmRun> runs) {
    return String.join(
        ", ", runs.stream().map(r -> String.format(Locale.ROOT, "%,d", r.compiledMillis)).toList());
  }

  /**
   * What a server not yet warmed for Alertmanager's traffic costs, from the first warm-up run of
   * each path: the server then had only the direct warm-up's batches behind it, and met
   * Alertmanager's bodies and connections for the first time. Printed apart from the figures so
   * that the warm-up does not hide it.
   */
  static String coldServer(AmRun direct, AmRun viaNm4j) {
    if (!direct.complete() || !viaNm4j.complete()) {
      return "first run of each path (not a result): incomplete";
    }
    return String.format(
        Locale.ROOT,
        "first run of each path, before the Alertmanager warm-up (not a result): %.3f s direct,"
            + " %.3f s through nm4j, ratio %.3f; the JIT compiling for %,d ms and %,d ms",
        direct.allSeconds,
        viaNm4j.allSeconds,
        viaNm4j.allSeconds / direct.allSeconds,
        direct.compiledMillis,
        viaNm4j.compiledMillis);
  }

  /**
   * Why the Alertmanager warm-up ended after {@code runs} runs, the last ones {@code quiet}: the
   * JIT quiet, or the cap, or, when {@code --am-warmup} asked for more runs than the cap, those
   * runs.
   */
  static String alertmanagerWarmUpEnd(int runs, boolean quiet) {
    return warmUpEnd(
        quiet,
        String.format(
            Locale.ROOT,
            "the JIT compiled for at most %.0f%% of each run of both paths, %d runs in a row",
            AM_WARMUP_QUIET_SHARE * 100,
            AM_WARMUP_QUIET_RUNS),
        runs > AM_WARMUP_MAX_RUNS
            ? "the " + runs + " runs of --am-warmup"
            : "the cap of " + AM_WARMUP_MAX_RUNS + " runs");
  }

  /**
   * One run of each path, in the order {@code nm4jFirst} says: Alertmanager -> sink posting alerts
   * of its own from id {@code directFirstId} on, and through nm4j with ids no earlier run on it
   * posted; printed under {@code label}. Returns the direct run first.
   */
  private AmRun[] bothPaths(
      Path binary,
      CountingSink directSink,
      int directFirstId,
      RunningServer nm4j,
      boolean nm4jFirst,
      String label)
      throws Exception {
    int n = options.alerts;
    @Nullable AmRun b = null;
    if (nm4jFirst) {
      b = alertmanagerThroughNm4j(binary, nm4j, n);
      OUT.printf(Locale.ROOT, "  %s  Alertmanager -> nm4j -> sink %s%n", label, b);
    }
    AmRun a = alertmanagerToSink(binary, directSink, directFirstId, n);
    OUT.printf(Locale.ROOT, "  %s  Alertmanager -> sink        %s%n", label, a);
    if (b == null) {
      b = alertmanagerThroughNm4j(binary, nm4j, n);
      OUT.printf(Locale.ROOT, "  %s  Alertmanager -> nm4j -> sink %s%n", label, b);
    }
    return new AmRun[] {a, b};
  }

  private AmRun alertmanagerToSink(Path binary, CountingSink sink, int firstId, int n)
      throws Exception {
    sink.startOver(firstId, n);
    String path = "/alertmanager";
    try (AlertmanagerProcess am =
        AlertmanagerProcess.start(binary, sink.url(path), Duration.ofSeconds(30))) {
      return postAndWait(am, LoadAlerts.alertmanagerInput(n, firstId), sink.counter(path), null);
    }
  }

  private AmRun alertmanagerThroughNm4j(Path binary, RunningServer nm4j, int n) throws Exception {
    int firstId = nm4j.takeIds(n, 1);
    nm4j.sink.startOver(firstId, n);
    try (AlertmanagerProcess am =
        AlertmanagerProcess.start(binary, nm4j.nm4j.intakeUrl(), Duration.ofSeconds(30))) {
      return postAndWait(
          am,
          LoadAlerts.alertmanagerInput(n, firstId),
          nm4j.sink.counter(Nm4jUnderTest.GLOBAL_PATH),
          nm4j.sink.counter(Nm4jUnderTest.TENANT_PATH));
    }
  }

  private AmRun postAndWait(
      AlertmanagerProcess am,
      byte[] input,
      CountingSink.Counter counter,
      CountingSink.@Nullable Counter tenants)
      throws IOException, InterruptedException {
    HttpRequest post =
        HttpRequest.newBuilder(URI.create(am.baseUrl() + "/api/v2/alerts"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(input))
            .build();
    long waitedMillis = Quiet.await();
    TimedRun window =
        new TimedRun(tenants == null ? "Alertmanager -> sink" : "Alertmanager -> nm4j -> sink");
    window.begin();
    long compiled0 = Quiet.compiledMillis();
    long cpu0 = Quiet.processCpuNanos();
    long t0 = System.nanoTime();
    HttpResponse<String> response =
        alertmanagerClient.send(post, HttpResponse.BodyHandlers.ofString());
    long posted = System.nanoTime();
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "Alertmanager answered " + response.statusCode() + ": " + response.body());
    }
    boolean complete = counter.await(options.timeoutSeconds, TimeUnit.SECONDS);
    double tenantSeconds = Double.NaN;
    if (tenants != null && complete && tenants.await(options.timeoutSeconds, TimeUnit.SECONDS)) {
      tenantSeconds = seconds(tenants.completeNanos() - t0);
    }
    window.commit();
    long cpu = Quiet.processCpuNanos() - cpu0;
    long compiled = Quiet.compiledMillis() - compiled0;
    return new AmRun(
        seconds(posted - t0),
        counter.firstRequestNanos() == Long.MIN_VALUE
            ? Double.NaN
            : seconds(counter.firstRequestNanos() - t0),
        complete ? seconds(counter.completeNanos() - t0) : Double.NaN,
        counter.requests(),
        counter.distinct(),
        tenantSeconds,
        tenants == null ? -1 : tenants.requests(),
        counter.outsideRun() + (tenants == null ? 0 : tenants.outsideRun()),
        seconds(cpu),
        compiled,
        waitedMillis);
  }

  /**
   * One run through Alertmanager; times in seconds from the start of the POST. {@code cpuSeconds}
   * is this JVM's CPU time over the run (the sink, and nm4j on its path): unlike the wall times,
   * other load on the machine changes it little; {@code compiledMillis} the JIT's compile time in
   * the run, which a warm server would not spend; {@code outsideRun} alerts of earlier runs that
   * arrived in this one, not counted.
   */
  record AmRun(
      double postSeconds,
      double firstSeconds,
      double allSeconds,
      long requests,
      int distinct,
      double tenantSeconds,
      long tenantRequests,
      long outsideRun,
      double cpuSeconds,
      long compiledMillis,
      long waitedMillis) {
    boolean complete() {
      return !Double.isNaN(allSeconds);
    }

    /**
     * Whether the JIT compiled for at most {@link #AM_WARMUP_QUIET_SHARE} of this run (never for a
     * run that did not complete); true if the JVM cannot tell.
     */
    boolean jitQuiet() {
      return LoadHarness.jitQuiet(compiledMillis, allSeconds * 1000, AM_WARMUP_QUIET_SHARE);
    }

    @Override
    public String toString() {
      String s =
          String.format(
              Locale.ROOT,
              "POST %.3f s, first webhook %.3f s, all %s (%d requests, %,d distinct)",
              postSeconds,
              firstSeconds,
              complete() ? String.format(Locale.ROOT, "%.3f s", allSeconds) : "NOT REACHED",
              requests,
              distinct);
      if (tenantRequests >= 0) {
        s +=
            String.format(
                Locale.ROOT,
                "; tenant receivers all %s (%d requests)",
                Double.isNaN(tenantSeconds)
                    ? "NOT REACHED"
                    : String.format(Locale.ROOT, "%.3f s", tenantSeconds),
                tenantRequests);
      }
      if (outsideRun > 0) {
        s += String.format(Locale.ROOT, "; %,d alerts of earlier runs, not counted", outsideRun);
      }
      return s
          + String.format(
              Locale.ROOT,
              "; CPU of this JVM %.3f s, JIT %,d ms (after %,d ms waiting for a quiet JVM)",
              cpuSeconds,
              compiledMillis,
              waitedMillis);
    }
  }

  private void latency(int rate) throws Exception {
    int requests = Math.max(1, rate * options.latencySeconds / options.latencyPerRequest);
    int total = requests * options.latencyPerRequest;
    OUT.printf(
        Locale.ROOT,
        "%nLatency at %,d alerts/s offered (open loop): %,d alerts in %,d requests of %d over %d s,"
            + " %s%n",
        rate,
        total,
        requests,
        options.latencyPerRequest,
        options.latencySeconds,
        options.amJournal);
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(daemon("pacing"));
    ExecutorService io = Executors.newFixedThreadPool(2, daemon("latency-io"));
    try (CountingSink sink = new CountingSink(total, 2);
        Nm4jUnderTest nm4j =
            Nm4jUnderTest.start(
                sink, options.serverThreads, options.delivery(), options.amJournal)) {
      HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(io).build();
      LatencyRun.Result r =
          new LatencyRun(scheduler, client)
              .run(
                  sink,
                  URI.create(nm4j.intakeUrl()),
                  rate,
                  options.latencySeconds,
                  options.latencyPerRequest,
                  options.timeoutSeconds);
      OUT.printf(
          Locale.ROOT,
          "  sent at %,.0f alerts/s; %,d requests refused, %,d alerts missing%n",
          r.sentPerSecond(),
          r.rejected(),
          r.missing());
      OUT.printf(
          Locale.ROOT, "  intake answer (due time -> 200), per request: %s%n", r.intakeAnswer());
      OUT.printf(
          Locale.ROOT,
          "  200 -> sink, global receiver:   %s (goal at 1,000/s: p99 <= 20 ms: %s)%n",
          r.toGlobal(),
          r.toGlobal().p99() <= 20_000_000L ? "met" : "MISSED");
      OUT.printf(Locale.ROOT, "  200 -> sink, tenant receivers:  %s%n", r.toTenant());
      OUT.printf(Locale.ROOT, "  due time -> sink, global:       %s%n", r.dueToGlobal());
      OUT.printf(Locale.ROOT, "  load average %s%n", loadAverage());
    } finally {
      scheduler.shutdownNow();
      io.shutdownNow();
    }
  }

  // ---- direct intake ----

  /**
   * A direct run's timed window, from the first POST until the sink had everything (or gave up),
   * and the JIT's compile time within it.
   */
  private record DirectRun(long wallNanos, long compiledMillis) {}

  private DirectRun directIntake(int n, Nm4jUnderTest.JournalKind journal) throws Exception {
    int requests = (n + options.perRequest - 1) / options.perRequest;
    printDirectHeader(requests, journal);
    System.gc();
    heap.reset();
    return drive(server(journal), requests, "direct intake, " + journal);
  }

  private void printDirectHeader(int requests, Nm4jUnderTest.JournalKind journal) {
    OUT.printf(
        Locale.ROOT,
        "%nDirect intake: %,d alerts in %,d requests of %d (%s), %d client threads, %s%n",
        requests * options.perRequest,
        requests,
        options.perRequest,
        options.spread ? "each request over 100 namespaces" : "one namespace per request",
        options.clients,
        journal);
  }

  /**
   * Posts {@code requests} batches to a running nm4j, with alerts no earlier run of it posted,
   * waits until its sink has them all, prints the figures and returns the timed window.
   */
  private DirectRun drive(RunningServer server, int requests, String what) throws Exception {
    int size = options.perRequest;
    int total = requests * size;
    int firstId = server.takeIds(total, size);
    int first = firstId / size;
    CountingSink sink = server.sink;
    sink.startOver(firstId, total);
    String startsAt = LoadAlerts.now();
    AtomicInteger next = new AtomicInteger(first);
    AtomicLong rejected = new AtomicLong();
    AtomicLong lastAccepted = new AtomicLong();
    CountingSink.Counter global = sink.counter(Nm4jUnderTest.GLOBAL_PATH);
    CountingSink.Counter tenant = sink.counter(Nm4jUnderTest.TENANT_PATH);
    Quiet.await();
    TimedRun window = new TimedRun(what);
    window.begin();
    long compiled0 = Quiet.compiledMillis();
    long cpu0 = Quiet.processCpuNanos();
    long t0 = System.nanoTime();
    // ended however the run ends: a client still posting after a timeout would post into the next
    // run's timed window
    ExecutorService clients = Executors.newFixedThreadPool(options.clients, daemon("client"));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < options.clients; c++) {
        futures.add(
            clients.submit(
                () -> {
                  int r;
                  while ((r = next.getAndIncrement()) < first + requests) {
                    byte[] body = LoadAlerts.webhookRequest(r, size, options.spread, startsAt);
                    postUntilAccepted(server.client, server.intake, body, rejected);
                  }
                  lastAccepted.accumulateAndGet(System.nanoTime(), Math::max);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get(options.timeoutSeconds, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    boolean complete = global.await(options.timeoutSeconds, TimeUnit.SECONDS);
    long globalEnd = complete ? global.completeNanos() : System.nanoTime();
    boolean tenantComplete = complete && tenant.await(options.timeoutSeconds, TimeUnit.SECONDS);
    long tenantEnd = tenant.completeNanos();
    window.commit();
    long cpu = Quiet.processCpuNanos() - cpu0;
    long compiled = Quiet.compiledMillis() - compiled0;
    long maxHeap = heap.maxUsed();
    double intakeSeconds = seconds(lastAccepted.get() - t0);
    OUT.printf(
        Locale.ROOT,
        "  intake: all %,d requests accepted after %.3f s (%,.0f alerts/s), %,d answered 503 and"
            + " retried%n",
        requests,
        intakeSeconds,
        total / intakeSeconds,
        rejected.get());
    if (complete) {
      double s = seconds(globalEnd - t0);
      OUT.printf(
          Locale.ROOT,
          "  global receiver: all %,d at the sink after %.3f s: %,.0f alerts/s (goal >= 50,000:"
              + " %s), %,d webhook requests%n",
          total,
          s,
          total / s,
          total / s >= 50_000 ? "met" : "MISSED",
          global.requests());
    } else {
      OUT.printf(
          Locale.ROOT,
          "  global receiver: NOT REACHED within %d s: %,d of %,d distinct%n",
          options.timeoutSeconds,
          global.distinct(),
          total);
    }
    if (tenantComplete) {
      double s = seconds(tenantEnd - t0);
      OUT.printf(
          Locale.ROOT,
          "  tenant receivers: all %,d at the sink after %.3f s (%,.0f alerts/s), %,d webhook"
              + " requests%n",
          total,
          s,
          total / s,
          tenant.requests());
    } else {
      OUT.printf(
          Locale.ROOT,
          "  tenant receivers: %,d of %,d distinct (%,d notifications still queued)%n",
          tenant.distinct(),
          total,
          server.nm4j.queued());
    }
    OUT.printf(
        Locale.ROOT,
        "  CPU time of this process (nm4j, sink and clients): %.3f s over %.3f s wall (%.0f%% of"
            + " one core), the JIT compiling for %,d ms of it; load average %s%n",
        seconds(cpu),
        seconds(globalEnd - t0),
        100.0 * cpu / (globalEnd - t0),
        compiled,
        loadAverage());
    OUT.printf(
        Locale.ROOT,
        "  max heap used (MemoryMXBean, sampled every 5 ms): %s of %s%n",
        mib(maxHeap),
        mib(heap.limit()));
    long outsideRun = global.outsideRun() + tenant.outsideRun();
    if (outsideRun > 0) {
      OUT.printf(
          Locale.ROOT,
          "  %,d alerts of earlier runs arrived at the sink in this one, not counted%n",
          outsideRun);
    }
    return new DirectRun(globalEnd - t0, compiled);
  }

  private void postUntilAccepted(HttpClient client, URI intake, byte[] body, AtomicLong rejected)
      throws IOException, InterruptedException {
    HttpRequest post = LoadAlerts.intakePost(intake, body);
    while (true) {
      HttpResponse<String> response = client.send(post, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status == 200) {
        return;
      }
      if (status != 503) {
        throw new IOException("nm4j answered " + status + ": " + response.body());
      }
      // queues full: back off briefly, as Alertmanager would retry
      rejected.incrementAndGet();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  // ---- helpers ----

  /** Daemon threads named {@code prefix-1}, {@code prefix-2}, ... */
  static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static Path findAlertmanager() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      for (String name : List.of("prometheus-alertmanager", "alertmanager")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new IllegalStateException(
        "Alertmanager not found on PATH (prometheus-alertmanager or alertmanager); install it"
            + " (Debian: apt-get install prometheus-alertmanager), pass --alertmanager <path>,"
            + " or skip those paths with --am-runs 0");
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "unlimited" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private static <T> double min(List<T> runs, ToDoubleFunction<T> value) {
    return runs.stream().mapToDouble(value).min().orElse(Double.NaN);
  }

  private static <T> double median(List<T> runs, ToDoubleFunction<T> value) {
    double[] v = runs.stream().mapToDouble(value).sorted().toArray();
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /** Command-line options. */
  static final class Options {
    static final String USAGE =
        String.join(
            "\n",
            "usage: java -Xmx256m -cp benchmarks.jar io.nm4j.benchmarks.load.LoadHarness [options]",
            "  --am-runs N           runs of each Alertmanager path, 0 skips them (default 3)",
            "  --alertmanager PATH   Alertmanager binary (default: prometheus-alertmanager or",
            "                        alertmanager on PATH)",
            "  --alerts N            alerts posted to Alertmanager (default 10000)",
            "  --direct N,N,...      direct-intake runs, alerts each, empty skips (default",
            "                        10000,100000)",
            "  --per-request N       alerts per direct-intake request (default 100)",
            "  --spread              spread each direct request over the 100 namespaces",
            "                        (default: one namespace per request, like group_by namespace)",
            "  --warmup-batches N    direct-intake batches sent first to warm up the JIT, with",
            "                        each journal the runs use, on one server in rounds of 500",
            "                        until at least N went through and the JIT compiled for at",
            "                        most 5% of a round, 10,000 at most (default 1500, 0 skips)",
            "  --am-warmup N         untimed runs of each Alertmanager path before the timed ones:",
            "                        at least N, then more until the JIT compiled for at most 1%",
            "                        of each run of both paths three pairs in a row, until 15 in",
            "                        all (a larger N runs N; default 1, 0 skips)",
            "  --clients N           direct-intake client threads (default 4)",
            "  --server-threads N    intake threads of the nm4j server (default: the server's,",
            "                        16)",
            "  --max-in-flight N     notifications of one receiver in progress at once (default:",
            "                        the library's, DeliveryOptions.maxInFlightPerReceiver)",
            "  --journal K,K         journals of the direct-intake runs, each size run with each:",
            "                        memory, file (default memory,file)",
            "  --am-journal K        journal of the Alertmanager -> nm4j path (default file, as",
            "                        the server runs)",
            "  --latency-rates N,N   offered rates (alerts/s) of the open-loop latency runs,",
            "                        empty skips (default 1000,10000)",
            "  --latency-seconds N   length of each latency run (default 10)",
            "  --latency-per-request N  alerts per latency-run request (default 100)",
            "  --timeout SECONDS     longest wait for a run to complete (default 120)");

    int alertmanagerRuns = 3;
    int alertmanagerWarmupRuns = 1;
    @Nullable Path alertmanager;
    int alerts = 10_000;
    int[] directCounts = {10_000, 100_000};
    int perRequest = 100;
    boolean spread;
    int warmupBatches = 1_500;
    int clients = 4;
    // The server's defaults unless given: the harness measures nm4j as it runs.
    OptionalInt serverThreads = OptionalInt.empty();
    OptionalInt maxInFlight = OptionalInt.empty();
    int timeoutSeconds = 120;
    int[] latencyRates = {1_000, 10_000};
    int latencySeconds = 10;
    int latencyPerRequest = 100;
    List<Nm4jUnderTest.JournalKind> journals =
        List.of(Nm4jUnderTest.JournalKind.MEMORY, Nm4jUnderTest.JournalKind.FILE);
    Nm4jUnderTest.JournalKind amJournal = Nm4jUnderTest.JournalKind.FILE;
    boolean help;

    DeliveryOptions delivery() {
      DeliveryOptions.Builder b = DeliveryOptions.builder();
      maxInFlight.ifPresent(b::maxInFlightPerReceiver);
      return b.build();
    }

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--help", "-h" -> o.help = true;
          case "--spread" -> o.spread = true;
          case "--am-runs" -> o.alertmanagerRuns = number(a, value(args, ++i, a), 0);
          case "--am-warmup" -> o.alertmanagerWarmupRuns = number(a, value(args, ++i, a), 0);
          case "--alertmanager" -> o.alertmanager = Path.of(value(args, ++i, a));
          case "--alerts" -> o.alerts = number(a, value(args, ++i, a), 1);
          case "--direct" -> o.directCounts = numbers(a, value(args, ++i, a));
          case "--per-request" -> o.perRequest = number(a, value(args, ++i, a), 1);
          case "--warmup-batches" -> o.warmupBatches = number(a, value(args, ++i, a), 0);
          case "--clients" -> o.clients = number(a, value(args, ++i, a), 1);
          case "--server-threads" ->
              o.serverThreads = OptionalInt.of(number(a, value(args, ++i, a), 1));
          case "--max-in-flight" ->
              o.maxInFlight = OptionalInt.of(number(a, value(args, ++i, a), 1));
          case "--timeout" -> o.timeoutSeconds = number(a, value(args, ++i, a), 1);
          case "--latency-rates" -> o.latencyRates = numbers(a, value(args, ++i, a));
          case "--latency-seconds" -> o.latencySeconds = number(a, value(args, ++i, a), 1);
          case "--latency-per-request" -> o.latencyPerRequest = number(a, value(args, ++i, a), 1);
          case "--journal" ->
              o.journals =
                  Arrays.stream(value(args, ++i, a).split(","))
                      .map(s -> Nm4jUnderTest.JournalKind.parse(a, s.trim()))
                      .distinct()
                      .toList();
          case "--am-journal" ->
              o.amJournal = Nm4jUnderTest.JournalKind.parse(a, value(args, ++i, a).trim());
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + ": needs a value");
      }
      return args[i];
    }

    /** A comma-separated list of positive numbers; empty is none. */
    private static int[] numbers(String option, String value) {
      String v = value.trim();
      return v.isEmpty()
          ? new int[0]
          : Arrays.stream(v.split(",")).mapToInt(s -> number(option, s.trim(), 1)).toArray();
    }

    private static int number(String option, String value, int min) {
      try {
        int n = Integer.parseInt(value);
        if (n < min) {
          throw new IllegalArgumentException(option + ": must be at least " + min + ", was " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": must be a number, was \"" + value + "\"", e);
      }
    }
  }

  static {
    // the library's INFO lines (config notices, per-batch notes) would drown the figures
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }
}
