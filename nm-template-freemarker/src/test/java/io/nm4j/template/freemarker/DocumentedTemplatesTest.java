package io.nm4j.template.freemarker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.Alert;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.AlertStatus;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Scope;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The example templates of {@code docs/TEMPLATES.md} compile and render. */
class DocumentedTemplatesTest {
  private static final Pattern BLOCK = Pattern.compile("```ftl\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyExampleOfTheTemplatesPageRendersANotification() throws IOException {
    String page = Files.readString(Path.of("../docs/TEMPLATES.md"));
    List<String> examples = new ArrayList<>();
    Matcher m = BLOCK.matcher(page);
    while (m.find()) {
      examples.add(m.group(1));
    }
    assertThat(examples).hasSize(11);
    Alert alert =
        new Alert(
            AlertStatus.FIRING,
            Map.of("alertname", "KubePodCrashLooping", "namespace", "demo", "pod", "web-0"),
            Map.of("summary", "crash looping", "runbook_url", "https://runbooks.example.com/a"),
            Instant.parse("2026-11-24T15:55:41Z"),
            null,
            "",
            "fp");
    Notification n =
        new Notification(
            "n",
            new ObjectRef("SlackReceiver", "r"),
            Scope.GLOBAL,
            null,
            null,
            List.of(alert),
            AlertBatch.of(List.of(alert)));
    Map<String, Object> model = new HashMap<>(MessageModel.of(n, MessageSettings.DEFAULT));
    model.put("title", "[FIRING:1] KubePodCrashLooping");

    for (String example : examples) {
      String heading = example.substring(0, example.indexOf('\n'));
      TemplateFormat format =
          heading.contains("Webhook")
              ? TemplateFormat.JSON
              : heading.contains("html")
                  ? TemplateFormat.HTML
                  : heading.contains("Telegram")
                      ? TemplateFormat.TELEGRAM_HTML
                      : heading.contains("Discord")
                          ? TemplateFormat.DISCORD_MARKDOWN
                          : heading.contains("Teams")
                              ? TemplateFormat.TEAMS_MARKDOWN
                              : heading.contains("Feishu")
                                  ? TemplateFormat.TEXT
                                  : TemplateFormat.MARKDOWN;
      TemplateCompilation c =
          new FreeMarkerTemplateEngine()
              .compile(
                  new TemplateSource("example.ftl", example),
                  List.of(ChannelTemplates.library()),
                  format);
      assertThat(c).as(example).isInstanceOf(TemplateCompilation.Compiled.class);
      TemplateOutput out =
          ((TemplateCompilation.Compiled) c).template().render(model, TemplateLimits.DEFAULT);
      assertThat(out).as(example).isInstanceOf(TemplateOutput.Rendered.class);
      assertThat(((TemplateOutput.Rendered) out).text()).contains("KubePodCrashLooping");
    }
  }
}
