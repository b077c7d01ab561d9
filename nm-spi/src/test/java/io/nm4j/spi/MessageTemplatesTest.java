package io.nm4j.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessageTemplatesTest {

  @Test
  void readsEveryTemplateFieldOfAReceiver() {
    SpecReader spec =
        SpecReader.of(
            Map.of(
                "template", "team.slack",
                "subjectTemplate", "team.subject",
                "tmplText", Map.of("name", "team-templates", "key", "slack.ftl"),
                "tmplType", "HTML",
                "language", "zh_CN",
                "timezone", "Asia/Shanghai"),
            "kubesphere-monitoring-system");

    MessageTemplates t = MessageTemplates.read(spec, "subjectTemplate", List.of("text", "html"));

    assertThat(spec.errors()).isEmpty();
    assertThat(t)
        .isEqualTo(
            new MessageTemplates(
                "team.slack",
                "team.subject",
                new MessageTemplates.TemplateText("team-templates", "slack.ftl"),
                "html",
                "zh-cn",
                ZoneId.of("Asia/Shanghai")));
  }

  @Test
  void badFieldsAreErrorsNamingTheirPath() {
    SpecReader spec =
        SpecReader.of(
            Map.of(
                "template", " ",
                "tmplText", Map.of("namespace", "other"),
                "tmplType", "post",
                "language", "english!",
                "timezone", "Mars/Olympus"),
            "kubesphere-monitoring-system");

    MessageTemplates t = MessageTemplates.read(spec, null, List.of("text", "markdown"));

    assertThat(t).isEqualTo(MessageTemplates.NONE);
    assertThat(spec.errors())
        .extracting(FieldError::toString)
        .anySatisfy(e -> assertThat(e).startsWith("spec.template: must be a template name"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.tmplText.name: is required"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .startsWith("spec.tmplText.namespace: must be the object's own namespace"))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isEqualTo("spec.tmplType: must be one of text, markdown, was \"post\""))
        .anySatisfy(e -> assertThat(e).startsWith("spec.language: must be a language tag"))
        .anySatisfy(e -> assertThat(e).startsWith("spec.timezone: must be an IANA time zone"));
  }

  @Test
  void aKindWithoutTemplateTypesReadsNoType() {
    SpecReader spec = SpecReader.of(Map.of("tmplType", "text"), "ns");
    assertThat(MessageTemplates.read(spec, null, List.of()).type()).isNull();
  }

  @Test
  void aLevelsChoicesWinOverTheLevelBelowFieldByField() {
    MessageTemplates settings =
        new MessageTemplates("global", null, null, null, "zh-cn", ZoneId.of("UTC"));
    MessageTemplates receiver = new MessageTemplates("mine", null, null, "markdown", null, null);

    MessageTemplates effective = receiver.over(settings);

    assertThat(effective)
        .isEqualTo(new MessageTemplates("mine", null, null, "markdown", "zh-cn", ZoneId.of("UTC")));
  }
}
