package io.nm4j.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The CPU time per alert of {@link FlatCostBenchmark}'s operation at 1,000, 10,000 and 100,000
 * tenants: the process's CPU time (every thread: the submitting thread, the delivery workers, the
 * collector and the compiler) over rounds of operations, divided by the alerts submitted. On a
 * machine shared with other work the benchmark's wall time per alert is mostly how long its threads
 * wait for a core; the CPU they use grows far less with the load (only through caches and
 * frequency), so this says whether the cost of an alert stays flat when the machine cannot be kept
 * idle. Each round's wall time, the CPU of the submitting thread and of the delivery threads (the
 * manager's workers and its timer), how often the delivery threads waited per alert, the time the
 * compiler and the collector took and the bytes allocated per alert are printed beside it: the
 * submitting thread routes, plans and enqueues (and reads these counters between rounds), the
 * workers send and record the outcomes, and the rest of the process's CPU ("other") is mostly the
 * collector's and the compiler's. Medians of the parts do not add up to the median of the whole;
 * each round's parts do.
 *
 * <p>Each size runs in a child JVM of its own, started with this JVM's options and class path, one
 * after the other; the children's output is this process's. Run in one process, the first size read
 * high: it carried the process's start (class loading, the compiler's first and largest methods),
 * and a later size found the heap the earlier one left. {@value #IN_PROCESS} measures the sizes
 * given in this process instead, one after the other; it is what each child runs. {@value
 * #INTERLEAVED} sets the sizes up together in this process and has their rounds take turns, and
 * reports how much more an alert costs at the most tenants than at the fewest, from the sizes'
 * medians and within each cycle of turns (see {@link #measureInterleaved}).
 *
 * <p>The compiler's threads count in the process's CPU, so each size warms up until the compiler is
 * done with the operation. It runs at least {@value #MIN_WARMUP_ROUNDS} rounds ({@value
 * #MIN_WARMUP_OPERATIONS} operations): {@link FlatCostBenchmark#routeAndDispatch()} itself is
 * compiled by C2 after some 5,000 calls and more under load (tiered compilation's thresholds), and
 * a warm-up of ten rounds of 200 operations ended before it was, so the first measured rounds paid
 * for that compilation (with {@code -XX:+PrintCompilation}: compiled at level 4 twelve seconds
 * after the warm-up ended, in the second measured round, which read twice the later rounds). After
 * that it warms up until {@value #QUIET_ROUNDS} rounds in a row pass in which the compiler was busy
 * for less than {@value #QUIET_COMPILATION_PERCENT}% of the round's wall time (one such round was
 * not enough: the compiler took up larger methods again after it).
 *
 * <p>A round is {@value #OPERATIONS_PER_ROUND} operations ({@value #ALERTS_PER_ROUND} alerts). The
 * process's CPU time comes in clock ticks of 10 ms on Linux, 3% of a round of 200 operations, the
 * length rounds had before; a compilation of 50–180 ms or a collection, which a round of 200
 * operations met only now and then, moved that round's figure by up to three times. A round of
 * {@value #OPERATIONS_PER_ROUND} reads the ticks to 0.1 µs per alert and shares such costs out over
 * more of the rounds.
 *
 * <p>The children get this JVM's options, so {@code -XX:+UseTransparentHugePages} given here
 * applies to every size (where the kernel offers transparent huge pages in {@code madvise} mode;
 * {@code AnonHugePages} in the child's {@code /proc/PID/smaps_rollup} shows the heap got them). The
 * harness does not set it: with huge pages both sizes cost somewhat less, and 100,000 tenants still
 * cost as much more than 1,000 ({@code benchmarks/README.md}).
 *
 * <p>Run: {@code java -Xms3g -Xmx3g -cp benchmarks/target/benchmarks.jar
 * io.nm4j.benchmarks.FlatCostCpu [--in-process | --interleaved] [tenants,...]}.
 */
public final class FlatCostCpu {
  private static final com.sun.management.OperatingSystemMXBean PROCESS =
      ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
  private static final com.sun.management.ThreadMXBean THREADS =
      ManagementFactory.getPlatformMXBean(com.sun.management.ThreadMXBean.class);
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();
  private static final int OPERATIONS_PER_ROUND = 1_000;
  private static final int ALERTS_PER_ROUND = OPERATIONS_PER_ROUND * FlatCostBenchmark.BATCH;
  private static final int MIN_WARMUP_OPERATIONS = 20_000;
  private static final int MIN_WARMUP_ROUNDS = MIN_WARMUP_OPERATIONS / OPERATIONS_PER_ROUND;
  private static final int MAX_WARMUP_ROUNDS = 100;
  private static final int QUIET_COMPILATION_PERCENT = 1;
  private static final int QUIET_ROUNDS = 3;
  private static final int MEASURED_ROUNDS = 10;
  private static final String DELIVERY_THREADS = "nm4j-delivery-";
  static final String IN_PROCESS = "--in-process";
  static final String INTERLEAVED = "--interleaved";

  /** Where and how the sizes are measured. */
  enum Mode {
    /** Each size in a child JVM of its own, one after the other. */
    CHILDREN,
    /** The sizes in this process, one after the other. */
    IN_PROCESS,
    /** The sizes in this process, set up together, their rounds taking turns. */
    INTERLEAVED
  }

  private FlatCostCpu() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Arguments arguments = Arguments.parse(args);
    if (arguments.mode() == Mode.IN_PROCESS) {
      for (int tenants : arguments.sizes()) {
        measureInThisProcess(System.out, tenants);
      }
      return;
    }
    if (arguments.mode() == Mode.INTERLEAVED) {
      measureInterleaved(System.out, arguments.sizes());
      return;
    }
    for (int tenants : arguments.sizes()) {
      Process child = new ProcessBuilder(childCommand(tenants)).inheritIO().start();
      int exit = child.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(
            "FlatCostCpu: the child process for " + tenants + " tenants exited with " + exit);
      }
    }
  }

  /**
   * The command of the child process that measures one size: this JVM's own options (heap, flags
   * such as huge pages, system properties) and class path, and {@value #IN_PROCESS} with the size.
   */
  static List<String> childCommand(int tenants) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FlatCostCpu.class.getName());
    command.add(IN_PROCESS);
    command.add(String.valueOf(tenants));
    return command;
  }

  /** What the command line asks for: the sizes, and where and how to measure them. */
  record Arguments(Mode mode, List<Integer> sizes) {
    static final List<Integer> DEFAULT_SIZES = List.of(1_000, 10_000, 100_000);

    Arguments {
      sizes = List.copyOf(sizes);
    }

    static Arguments parse(String... args) {
      Mode mode = Mode.CHILDREN;
      if (args.length > 0 && args[0].equals(IN_PROCESS)) {
        mode = Mode.IN_PROCESS;
      } else if (args.length > 0 && args[0].equals(INTERLEAVED)) {
        mode = Mode.INTERLEAVED;
      }
      int first = mode == Mode.CHILDREN ? 0 : 1;
      if (args.length > first + 1) {
        throw new IllegalArgumentException(
            "FlatCostCpu: expected ["
                + IN_PROCESS
                + " | "
                + INTERLEAVED
                + "] [tenants,...], was "
                + List.of(args));
      }
      if (args.length == first) {
        return new Arguments(mode, DEFAULT_SIZES);
      }
      return new Arguments(mode, Fixtures.tenantSizes(args[first], "FlatCostCpu"));
    }
  }

  private static void measureInThisProcess(PrintStream out, int tenants) {
    FlatCostBenchmark benchmark = new FlatCostBenchmark();
    benchmark.tenants = tenants;
    benchmark.setUp();
    try {
      measure(out, tenants, benchmark);
    } finally {
      benchmark.tearDown();
    }
  }

  private static void measure(PrintStream out, int tenants, FlatCostBenchmark benchmark) {
    out.printf(
        Locale.ROOT,
        "%,d tenants, %.1f notifications per batch of %d alerts, load average %.1f%n",
        tenants,
        benchmark.notificationsPerBatch(),
        FlatCostBenchmark.BATCH,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    WarmUp warmUp = warmUp(() -> round(benchmark, false).compilerQuiet());
    out.printf(
        Locale.ROOT,
        "  %d warm-up rounds%s%n",
        warmUp.steps(),
        warmUp.compilerQuiet() ? "" : " (the compiler was still busy in the last ones)");
    List<Round> rounds = new ArrayList<>();
    for (int i = 0; i < MEASURED_ROUNDS; i++) {
      Round round = round(benchmark, false);
      rounds.add(round);
      out.printf(
          Locale.ROOT,
          "  round %2d: %6.1f us CPU per alert (submitting thread %5.1f, delivery %5.1f,"
              + " other %4.1f), %6.1f us wall, %,7.0f bytes per alert; delivery threads waited"
              + " %.2f times per alert; compiler %4d ms, collector %4d ms%n",
          i + 1,
          round.cpuMicros(),
          round.submitterMicros(),
          round.deliveryMicros(),
          round.cpuMicros() - round.submitterMicros() - round.deliveryMicros(),
          round.wallMicros(),
          round.bytesPerAlert(),
          round.deliveryWaitsPerAlert(),
          round.compilerMillis,
          round.collectorMillis);
    }
    double cpuMedian = Medians.of(rounds.stream().mapToDouble(Round::cpuMicros));
    double cpuMin = rounds.stream().mapToDouble(Round::cpuMicros).min().orElseThrow();
    double cpuMax = rounds.stream().mapToDouble(Round::cpuMicros).max().orElseThrow();
    out.printf(
        Locale.ROOT,
        "  CPU per alert: median %.1f us, min %.1f, max %.1f (%.0f%% of the median apart);"
            + " submitting thread %.1f, delivery %.1f (medians);"
            + " bytes per alert: median %,.0f; load average %.1f%n",
        cpuMedian,
        cpuMin,
        cpuMax,
        (cpuMax - cpuMin) * 100 / cpuMedian,
        Medians.of(rounds.stream().mapToDouble(Round::submitterMicros)),
        Medians.of(rounds.stream().mapToDouble(Round::deliveryMicros)),
        Medians.of(rounds.stream().mapToDouble(Round::bytesPerAlert)),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Warms up until at least {@value #MIN_WARMUP_ROUNDS} steps have run and the compiler was quiet
   * in the last {@value #QUIET_ROUNDS}, or {@value #MAX_WARMUP_ROUNDS} steps ran.
   *
   * @param step runs one step (a round, or in {@link #measureInterleaved} a cycle of rounds) and
   *     tells whether the compiler was quiet throughout it
   */
  private static WarmUp warmUp(BooleanSupplier step) {
    int steps = 0;
    int quiet = 0;
    while (steps < MAX_WARMUP_ROUNDS && (steps < MIN_WARMUP_ROUNDS || quiet < QUIET_ROUNDS)) {
      boolean compilerQuiet = step.getAsBoolean();
      steps++;
      quiet = compilerQuiet ? quiet + 1 : 0;
    }
    return new WarmUp(steps, quiet >= QUIET_ROUNDS);
  }

  /** How many warm-up steps ran, and whether the compiler was quiet in the last ones. */
  private record WarmUp(int steps, boolean compilerQuiet) {}

  /**
   * Measures the sizes together: each set up in this process, then rounds taking turns, one round
   * per size in a cycle, each cycle starting one size further on, so that every size follows every
   * other equally often. Where the machine's speed drifts over tens of seconds (on a shared host
   * one size in one process read from 15.9 to 27.5 µs per alert, its submitting thread and delivery
   * threads slower together, {@code benchmarks/README.md}), sizes measured a minute apart differ by
   * the drift as well; the rounds of one cycle, seconds apart, meet a machine that has drifted
   * less. The warm-up and the measurement count cycles, not rounds.
   *
   * <p>Each round waits for its last batches, so its notifications are final before the next size's
   * round starts (a worker may still be finishing its loop). The managers not measured have nothing
   * to do: their workers wait for work, and leave after 30 s without any, far longer than a cycle
   * takes; their threads are counted with the delivery threads by name, and their heaps with the
   * collector's work, in the process's CPU.
   */
  private static void measureInterleaved(PrintStream out, List<Integer> sizes) {
    List<FlatCostBenchmark> benchmarks = new ArrayList<>();
    try {
      for (int tenants : sizes) {
        FlatCostBenchmark benchmark = new FlatCostBenchmark();
        benchmark.tenants = tenants;
        benchmarks.add(benchmark);
        benchmark.setUp();
      }
      out.printf(
          Locale.ROOT,
          "%s tenants, interleaved, load average %.1f%n",
          sizesText(sizes),
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      WarmUp warmUp =
          warmUp(
              () -> {
                boolean compilerQuiet = true;
                for (FlatCostBenchmark benchmark : benchmarks) {
                  compilerQuiet &= round(benchmark, true).compilerQuiet();
                }
                return compilerQuiet;
              });
      out.printf(
          Locale.ROOT,
          "  %d warm-up cycles%s%n",
          warmUp.steps(),
          warmUp.compilerQuiet() ? "" : " (the compiler was still busy in the last ones)");
      Round[][] cycles = measureCycles(out, sizes, benchmarks);
      report(
          out,
          sizes,
          benchmarks.stream().mapToDouble(FlatCostBenchmark::notificationsPerBatch).toArray(),
          cycles);
    } finally {
      for (FlatCostBenchmark benchmark : benchmarks) {
        benchmark.tearDown();
      }
    }
  }

  /** {@value #MEASURED_ROUNDS} cycles, each printed as it ends: the rounds by size, per cycle. */
  private static Round[][] measureCycles(
      PrintStream out, List<Integer> sizes, List<FlatCostBenchmark> benchmarks) {
    int n = sizes.size();
    Round[][] cycles = new Round[MEASURED_ROUNDS][n];
    for (int cycle = 0; cycle < MEASURED_ROUNDS; cycle++) {
      for (int size : turnOrder(cycle, n)) {
        cycles[cycle][size] = round(benchmarks.get(size), true);
      }
      StringBuilder line = new StringBuilder();
      for (int size = 0; size < n; size++) {
        Round round = cycles[cycle][size];
        line.append(
            String.format(
                Locale.ROOT,
                "%s%,d: %5.1f (%4.1f + %4.1f)",
                size == 0 ? "" : "; ",
                sizes.get(size),
                round.cpuMicros(),
                round.submitterMicros(),
                round.deliveryMicros()));
      }
      out.printf(
          Locale.ROOT,
          "  cycle %2d: %s us CPU per alert (submitting + delivery); most over fewest tenants"
              + " %+.0f%%%n",
          cycle + 1,
          line,
          mostOverFewest(sizes, cpuMicros(cycles[cycle])) * 100);
    }
    return cycles;
  }

  /**
   * Per size the medians of its rounds, then how much more an alert cost at the most tenants than
   * at the fewest: from those medians, and per cycle (median and range). The per-cycle figure keeps
   * its sign, so that rounds at the most tenants that happen to read low pull it down as rounds
   * that read high push it up; the largest over the smallest cost of each cycle, which the goal's
   * "within 20% of each other" reads for three sizes, would only be pushed up by that noise.
   */
  private static void report(
      PrintStream out, List<Integer> sizes, double[] notificationsPerBatch, Round[][] cycles) {
    int n = sizes.size();
    double[] cpuMedians = new double[n];
    for (int size = 0; size < n; size++) {
      int column = size;
      cpuMedians[size] = Medians.of(Arrays.stream(cycles).mapToDouble(c -> c[column].cpuMicros()));
      out.printf(
          Locale.ROOT,
          "  %,d tenants: CPU per alert median %.1f us; submitting thread %.1f, delivery %.1f"
              + " (medians, which need not add up); %.1f notifications per batch, %.2f us per"
              + " notification%n",
          sizes.get(size),
          cpuMedians[size],
          Medians.of(Arrays.stream(cycles).mapToDouble(c -> c[column].submitterMicros())),
          Medians.of(Arrays.stream(cycles).mapToDouble(c -> c[column].deliveryMicros())),
          notificationsPerBatch[size],
          cpuMedians[size] * FlatCostBenchmark.BATCH / notificationsPerBatch[size]);
    }
    double[] perCycle =
        Arrays.stream(cycles)
            .mapToDouble(cycle -> mostOverFewest(sizes, cpuMicros(cycle)))
            .toArray();
    out.printf(
        Locale.ROOT,
        "  the medians %.0f%% apart (largest over smallest); most over fewest tenants: %+.0f%% from"
            + " the medians, per cycle median %+.0f%% (%+.0f%% to %+.0f%%); load average %.1f%n",
        (Arrays.stream(cpuMedians).max().orElseThrow()
                    / Arrays.stream(cpuMedians).min().orElseThrow()
                - 1)
            * 100,
        mostOverFewest(sizes, cpuMedians) * 100,
        Medians.of(Arrays.stream(perCycle)) * 100,
        Arrays.stream(perCycle).min().orElseThrow() * 100,
        Arrays.stream(perCycle).max().orElseThrow() * 100,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** The CPU per alert of each round of a cycle, by size. */
  private static double[] cpuMicros(Round[] cycle) {
    return Arrays.stream(cycle).mapToDouble(Round::cpuMicros).toArray();
  }

  /**
   * The order of the sizes' rounds in cycle {@code cycle}: all {@code n} sizes, starting one
   * further on each cycle.
   */
  static int[] turnOrder(int cycle, int n) {
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = (cycle + k) % n;
    }
    return order;
  }

  private static String sizesText(List<Integer> sizes) {
    List<String> each = new ArrayList<>();
    for (int size : sizes) {
      each.add(String.format(Locale.ROOT, "%,d", size));
    }
    return String.join(" / ", each);
  }

  /**
   * How much more an alert cost at the most tenants than at the fewest, less one: 0.2 is 20% more,
   * a negative figure less.
   *
   * @param sizes the tenants of each size
   * @param costs the cost at each size, in the same order
   */
  static double mostOverFewest(List<Integer> sizes, double[] costs) {
    int most = 0;
    int fewest = 0;
    for (int i = 1; i < sizes.size(); i++) {
      most = sizes.get(i) > sizes.get(most) ? i : most;
      fewest = sizes.get(i) < sizes.get(fewest) ? i : fewest;
    }
    return costs[most] / costs[fewest] - 1;
  }

  /** What one round of operations took, in nanoseconds, milliseconds and bytes. */
  private record Round(
      long cpuNanos,
      long submitterNanos,
      long deliveryNanos,
      long deliveryWaits,
      long wallNanos,
      long allocatedBytes,
      long compilerMillis,
      long collectorMillis) {
    double cpuMicros() {
      return cpuNanos / (double) ALERTS_PER_ROUND / 1_000.0;
    }

    double submitterMicros() {
      return submitterNanos / (double) ALERTS_PER_ROUND / 1_000.0;
    }

    double deliveryWaitsPerAlert() {
      return deliveryWaits / (double) ALERTS_PER_ROUND;
    }

    double deliveryMicros() {
      return deliveryNanos / (double) ALERTS_PER_ROUND / 1_000.0;
    }

    double wallMicros() {
      return wallNanos / (double) ALERTS_PER_ROUND / 1_000.0;
    }

    double wallMillis() {
      return wallNanos / 1_000_000.0;
    }

    double bytesPerAlert() {
      return allocatedBytes / (double) ALERTS_PER_ROUND;
    }

    /** Whether the compiler was busy for less than the quiet share of the round's wall time. */
    boolean compilerQuiet() {
      return compilerMillis * 100 < wallMillis() * QUIET_COMPILATION_PERCENT;
    }
  }

  /**
   * One round of {@value #OPERATIONS_PER_ROUND} operations on {@code benchmark}.
   *
   * @param drained whether the round also waits for the batches still in flight at its end, so that
   *     none of its work is done in whatever runs next
   */
  private static Round round(FlatCostBenchmark benchmark, boolean drained) {
    long cpu0 = PROCESS.getProcessCpuTime();
    long submitter0 = THREADS.getCurrentThreadCpuTime();
    DeliveryThreads delivery0 = DeliveryThreads.now();
    Map<Long, Long> allocated0 = allocatedBytes();
    long compiler0 = COMPILER.getTotalCompilationTime();
    long collector0 = collectorMillis();
    long wall0 = System.nanoTime();
    for (int i = 0; i < OPERATIONS_PER_ROUND; i++) {
      benchmark.routeAndDispatch();
    }
    if (drained) {
      benchmark.drain();
    }
    long wall = System.nanoTime() - wall0;
    DeliveryThreads delivery1 = DeliveryThreads.now();
    return new Round(
        PROCESS.getProcessCpuTime() - cpu0,
        THREADS.getCurrentThreadCpuTime() - submitter0,
        sinceStart(delivery0.cpuNanos(), delivery1.cpuNanos()),
        sinceStart(delivery0.waits(), delivery1.waits()),
        wall,
        sinceStart(allocated0, allocatedBytes()),
        COMPILER.getTotalCompilationTime() - compiler0,
        collectorMillis() - collector0);
  }

  /**
   * What the threads alive at the end of a round added during it: each one's count at the end less
   * its count at the start, all of it for a thread that started within the round. A thread that
   * ended within the round is not in {@code end}: what it added in the round is lost, but not, as
   * with a difference of two sums, everything it had counted before. The pool keeps idle workers
   * for 30 s, far longer than a round, so none ends while rounds run back to back.
   *
   * @param start each thread's count at the start of the round, by thread id
   * @param end each live thread's count at the end, by thread id
   */
  static long sinceStart(Map<Long, Long> start, Map<Long, Long> end) {
    long total = 0;
    for (Map.Entry<Long, Long> thread : end.entrySet()) {
      total += thread.getValue() - start.getOrDefault(thread.getKey(), 0L);
    }
    return total;
  }

  /**
   * The manager's delivery threads (its workers and its timer) so far, by thread id: the CPU time
   * of each and how often each has waited (parked for work or for the dispatcher's lock, or slept
   * until a timer task was due). {@code Dispatcher} and {@code ScheduledTimer} name them {@value
   * #DELIVERY_THREADS}.
   */
  record DeliveryThreads(Map<Long, Long> cpuNanos, Map<Long, Long> waits) {
    static DeliveryThreads now() {
      Map<Long, Long> cpuNanos = new HashMap<>();
      Map<Long, Long> waits = new HashMap<>();
      for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (thread != null && thread.getThreadName().startsWith(DELIVERY_THREADS)) {
          long cpu = THREADS.getThreadCpuTime(thread.getThreadId());
          if (cpu >= 0) {
            cpuNanos.put(thread.getThreadId(), cpu);
            waits.put(thread.getThreadId(), thread.getWaitedCount());
          }
        }
      }
      return new DeliveryThreads(cpuNanos, waits);
    }
  }

  /**
   * The bytes each live thread has allocated so far, by thread id: the submitting thread and the
   * delivery threads, which live as long as the manager, among them.
   */
  private static Map<Long, Long> allocatedBytes() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> allocated = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        allocated.put(ids[i], bytes[i]);
      }
    }
    return allocated;
  }

  private static long collectorMillis() {
    long total = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, collector.getCollectionTime());
    }
    return total;
  }
}
