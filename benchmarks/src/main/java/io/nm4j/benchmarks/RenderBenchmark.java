package io.nm4j.benchmarks;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering one notification of ten alerts (six firing, four resolved, each with eight labels,
 * three annotations and a source link) with a channel's built-in template, as its channel does on
 * every send: {@code render} builds the model and renders the template compiled once; {@code
 * compileAndRender} compiles the template set anew first, the cost a cache of compiled templates
 * saves on every notification.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RenderBenchmark {

  /** channel/template: the built-in templates of the channels. */
  @Param({
    "slack/message",
    "dingtalk/markdown",
    "wechat/text",
    "wechat/markdown",
    "email/html",
    "email/subject",
    "feishu/message",
    "teams/message",
    "telegram/message",
    "discord/message"
  })
  public String template;

  private TemplateEngine engine;
  private ChannelTemplates templates;
  private String channel;
  private String name;
  private TemplateFormat format;
  private Notification notification;

  @Setup
  public void setUp() {
    engine = TemplateEngine.onClassPath(RenderBenchmark.class.getClassLoader());
    channel = template.substring(0, template.indexOf('/'));
    name = template.substring(template.indexOf('/') + 1);
    format =
        switch (template) {
          case "slack/message" -> TemplateFormat.SLACK_MRKDWN;
          case "dingtalk/markdown", "wechat/markdown" -> TemplateFormat.MARKDOWN;
          case "email/html" -> TemplateFormat.HTML;
          case "teams/message" -> TemplateFormat.TEAMS_MARKDOWN;
          case "telegram/message" -> TemplateFormat.TELEGRAM_HTML;
          case "discord/message" -> TemplateFormat.DISCORD_MARKDOWN;
          default -> TemplateFormat.TEXT;
        };
    templates = load();
    notification = notification();
  }

  private ChannelTemplates load() {
    return ChannelTemplates.load(
        channel,
        engine,
        RenderBenchmark.class.getClassLoader(),
        Map.of(name, format),
        TemplateLimits.DEFAULT);
  }

  @Benchmark
  public String render() {
    return templates.render(name, MessageModel.of(notification, MessageSettings.DEFAULT)).text();
  }

  @Benchmark
  public String compileAndRender() {
    return load().render(name, MessageModel.of(notification, MessageSettings.DEFAULT)).text();
  }

  static Notification notification() {
    Instant start = Instant.parse("2026-11-24T15:55:41Z");
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      boolean firing = i < 6;
      alerts.add(
          new Alert(
              firing ? AlertStatus.FIRING : AlertStatus.RESOLVED,
              Map.of(
                  "alertname",
                  "KubePodCrashLooping",
                  "namespace",
                  "tenant-" + (i % 3),
                  "severity",
                  i % 2 == 0 ? "critical" : "warning",
                  "pod",
                  "web-" + i,
                  "container",
                  "app",
                  "instance",
                  "10.0.0." + i + ":8080",
                  "job",
                  "kube-state-metrics",
                  "cluster",
                  "prod-eu-1"),
              Map.of(
                  "summary", "Pod tenant/web-" + i + " is crash looping.",
                  "description", "Container app of pod web-" + i + " restarted 5 times in 10m.",
                  "runbook_url", "https://runbooks.example.com/KubePodCrashLooping"),
              start,
              firing ? null : start.plusSeconds(300),
              "http://prometheus.monitoring.svc:9090/graph?g0.expr=kube_pod_restarts&g0.tab=1",
              "fp" + i));
    }
    AlertBatch batch = AlertBatch.of(alerts);
    return new Notification(
        "bench",
        new ObjectRef("SlackReceiver", "bench"),
        io.nm4j.spi.Scope.GLOBAL,
        null,
        null,
        alerts,
        batch);
  }
}
