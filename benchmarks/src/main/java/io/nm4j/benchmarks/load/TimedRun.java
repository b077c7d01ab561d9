package io.nm4j.benchmarks.load;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * The timed window of one run or warm-up round, as a JDK Flight Recorder event, so that a recording
 * of the whole harness can be cut to what the figures measure ({@code jfr print --events
 * io.nm4j.benchmarks.load.TimedRun}). Costs nothing when no recording runs.
 */
@Name("io.nm4j.benchmarks.load.TimedRun")
@Label("Timed run")
@Category("nm4j load harness")
@Description("From the first request of a run to the sink's last alert")
@StackTrace(false)
final class TimedRun extends Event {
  @Label("What")
  final String what;

  TimedRun(String what) {
    this.what = what;
  }
}
