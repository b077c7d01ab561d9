package io.nm4j.template.freemarker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreeMarkerTemplateEngineTest {
  private static final TemplateEngine ENGINE = new FreeMarkerTemplateEngine();
  private static final TemplateLimits LIMITS = new TemplateLimits(10_000, Duration.ofMillis(500));
  private static final String HOSTILE = "<script>alert(1)</script> *b* _i_ ~s~ `c` [x](y) \"}\n# h";

  private static CompiledTemplate compile(String text, TemplateFormat format) {
    TemplateCompilation result = ENGINE.compile(new TemplateSource("t.ftl", text), format);
    assertThat(result).isInstanceOf(TemplateCompilation.Compiled.class);
    return ((TemplateCompilation.Compiled) result).template();
  }

  private static String rendered(TemplateOutput output) {
    assertThat(output).isInstanceOf(TemplateOutput.Rendered.class);
    return ((TemplateOutput.Rendered) output).text();
  }

  private static TemplateProblem failure(TemplateOutput output) {
    assertThat(output).isInstanceOf(TemplateOutput.Failed.class);
    return ((TemplateOutput.Failed) output).problem();
  }

  @Test
  void theEngineIsFoundByServiceLoader() {
    assertThat(TemplateEngine.discover(getClass().getClassLoader()))
        .get()
        .isInstanceOf(FreeMarkerTemplateEngine.class);
  }

  @Test
  void htmlEscapesEveryValueButNotTheTemplatesOwnMarkup() {
    String out =
        rendered(compile("<b>${v}</b>", TemplateFormat.HTML).render(Map.of("v", HOSTILE), LIMITS));
    assertThat(out).startsWith("<b>&lt;script&gt;alert(1)&lt;/script&gt;").endsWith("</b>");
    assertThat(out).doesNotContain("<script>");
  }

  @Test
  void markdownValuesCannotOpenMarkupOrStartALine() {
    String out =
        rendered(
            compile("- **${v}**", TemplateFormat.MARKDOWN).render(Map.of("v", HOSTILE), LIMITS));
    assertThat(out)
        .isEqualTo(
            "- **&lt;script&gt;alert(1)&lt;/script&gt; \\*b\\* \\_i\\_ \\~s\\~ \\`c\\`"
                + " [x]\\(y) \"} # h**");
  }

  @Test
  void markdownLeavesWordsAndLeadingHashesAlone() {
    CompiledTemplate t = compile("${v}", TemplateFormat.MARKDOWN);
    assertThat(rendered(t.render(Map.of("v", "job_name a#b"), LIMITS))).isEqualTo("job_name a#b");
    assertThat(rendered(t.render(Map.of("v", "# not a heading"), LIMITS)))
        .isEqualTo("\\# not a heading");
  }

  @Test
  void slackValuesCannotFormatOrLink() {
    String out =
        rendered(
            compile("*${v}*", TemplateFormat.SLACK_MRKDWN).render(Map.of("v", HOSTILE), LIMITS));
    assertThat(out).contains("&lt;script&gt;").doesNotContain("<script>").doesNotContain("\n");
    assertThat(out).contains("\u200B*b\u200B*").contains("\u200B`c\u200B`");
  }

  @Test
  void telegramHtmlValuesCannotOpenOrCloseATagOrLeaveAnAttribute() {
    String out =
        rendered(
            compile("<b>${v}</b> <a href=\"${v}\">x</a>", TemplateFormat.TELEGRAM_HTML)
                .render(Map.of("v", "</b><i>x & \"y\"\nz"), LIMITS));
    assertThat(out)
        .isEqualTo(
            "<b>&lt;/b&gt;&lt;i&gt;x &amp; &quot;y&quot; z</b>"
                + " <a href=\"&lt;/b&gt;&lt;i&gt;x &amp; &quot;y&quot; z\">x</a>");
  }

  @Test
  void discordValuesCannotFormatLinkOrMention() {
    String out =
        rendered(
            compile("**${v}**", TemplateFormat.DISCORD_MARKDOWN)
                .render(Map.of("v", "@everyone <@123> *b* [x](y) ||s||\n# h"), LIMITS));
    assertThat(out)
        .isEqualTo("**\\@everyone \\<\\@123\\> \\*b\\* \\[x\\]\\(y\\) \\|\\|s\\|\\| # h**");
  }

  @Test
  void discordValuesCannotStartAHeadingListOrQuote() {
    CompiledTemplate t = compile("${v}", TemplateFormat.DISCORD_MARKDOWN);
    assertThat(rendered(t.render(Map.of("v", "# h"), LIMITS))).isEqualTo("\\# h");
    assertThat(rendered(t.render(Map.of("v", "- item"), LIMITS))).isEqualTo("\\- item");
    assertThat(rendered(t.render(Map.of("v", "> quote"), LIMITS))).isEqualTo("\\> quote");
    assertThat(rendered(t.render(Map.of("v", "1. one"), LIMITS))).isEqualTo("1\\. one");
    assertThat(rendered(t.render(Map.of("v", "a-b#c"), LIMITS))).isEqualTo("a-b#c");
  }

  @Test
  void teamsValuesCannotFormatLinkOrMention() {
    CompiledTemplate t = compile("**${v}**", TemplateFormat.TEAMS_MARKDOWN);
    assertThat(rendered(t.render(Map.of("v", "<at>all</at> *b* [x](y) job_name"), LIMITS)))
        .isEqualTo("**\\<at>all\\</at> \\*b\\* \\[x\\]\\(y\\) job_name**");
    assertThat(rendered(t.render(Map.of("v", "- item\n1. two"), LIMITS)))
        .isEqualTo("**\\- item 1. two**");
    assertThat(rendered(t.render(Map.of("v", "12. twelve"), LIMITS))).isEqualTo("**12\\. twelve**");
  }

  @Test
  void jsonValuesStayInsideTheirString() {
    String out =
        rendered(
            compile("{\"text\": \"${v}\"}", TemplateFormat.JSON)
                .render(Map.of("v", HOSTILE), LIMITS));
    assertThat(out).startsWith("{\"text\": \"\\u003cscript\\u003e").contains("\\\"}\\n# h\"}");
  }

  @Test
  void textValuesStayOnTheirLine() {
    String out =
        rendered(compile("a: ${v}\nb", TemplateFormat.TEXT).render(Map.of("v", "x\ny\rz"), LIMITS));
    assertThat(out).isEqualTo("a: x y z\nb");
  }

  @Test
  void aSyntaxErrorIsAProblemWithTemplateLineAndColumn() {
    TemplateCompilation result =
        ENGINE.compile(
            new TemplateSource("team-a/slack.ftl", "ok\n  <#if x>\nno end"), TemplateFormat.TEXT);
    assertThat(result).isInstanceOf(TemplateCompilation.Invalid.class);
    TemplateProblem problem = ((TemplateCompilation.Invalid) result).problems().get(0);
    assertThat(problem.template()).isEqualTo("team-a/slack.ftl");
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.column()).isPositive();
    assertThat(problem.toString()).startsWith("team-a/slack.ftl:3:");
  }

  @Test
  void aBrokenIncludedTemplateIsReportedUnderItsOwnName() {
    TemplateCompilation result =
        ENGINE.compile(
            new TemplateSource("main.ftl", "<#include \"lib.ftl\">"),
            List.of(new TemplateSource("lib.ftl", "<#list>")),
            TemplateFormat.TEXT);
    assertThat(((TemplateCompilation.Invalid) result).problems())
        .extracting(TemplateProblem::template)
        .containsExactly("lib.ftl");
  }

  @Test
  void aMissingValueFailsTheRenderWithItsPosition() {
    TemplateProblem problem =
        failure(compile("line\n  ${missing.value}", TemplateFormat.TEXT).render(Map.of(), LIMITS));
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.column()).as("the column of the missing expression").isEqualTo(5);
    assertThat(problem.message()).contains("missing");
  }

  @Test
  void newCannotResolveAnyClass() {
    TemplateProblem problem =
        failure(
            compile(
                    "<#assign ex = \"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
                    TemplateFormat.TEXT)
                .render(Map.of(), LIMITS));
    assertThat(problem.line()).isEqualTo(1);
  }

  @Test
  void apiIsOff() {
    TemplateProblem problem =
        failure(
            compile("${m?api.getClass()}", TemplateFormat.TEXT)
                .render(Map.of("m", Map.of()), LIMITS));
    assertThat(problem.message()).containsIgnoringCase("api");
  }

  @Test
  void evalOfModelTextCannotReachClassesEither() {
    TemplateOutput out =
        compile("${v?eval}", TemplateFormat.TEXT)
            .render(
                Map.of(
                    "v",
                    "\"freemarker.template.utility.ObjectConstructor\"?new()(\"java.io.File\", \"/\")"),
                LIMITS);
    failure(out);
  }

  @Test
  void includesReachOnlyTheTemplatesOfTheSet() {
    TemplateCompilation library =
        ENGINE.compile(
            new TemplateSource("main.ftl", "<#import \"lib.ftl\" as lib><@lib.hello/>"),
            List.of(new TemplateSource("lib.ftl", "<#macro hello>hello</#macro>")),
            TemplateFormat.TEXT);
    assertThat(
            rendered(((TemplateCompilation.Compiled) library).template().render(Map.of(), LIMITS)))
        .isEqualTo("hello");

    TemplateProblem outside =
        failure(
            compile("<#include \"/etc/passwd\">", TemplateFormat.TEXT).render(Map.of(), LIMITS));
    assertThat(outside.message()).contains("/etc/passwd");
  }

  @Test
  void unboundedRecursionFailsTheRenderNotTheThread() {
    TemplateProblem problem =
        failure(
            compile("<#macro r><@r/></#macro><@r/>", TemplateFormat.TEXT).render(Map.of(), LIMITS));
    assertThat(problem.message()).containsAnyOf("recursion too deep", "render time exceeded");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void deeplyNestedMacrosFailTheRender() {
    String nested = "<#macro n d><#if d gt 0>[<@n d - 1/>]</#if></#macro><@n 1000000/>";
    TemplateProblem problem =
        failure(compile(nested, TemplateFormat.TEXT).render(Map.of(), LIMITS));
    assertThat(problem.message())
        .containsAnyOf("recursion too deep", "render time exceeded", "output exceeds");
  }

  @Test
  void anEndlessListThatWritesNothingStopsAtTheTimeCap() {
    TemplateProblem problem =
        failure(
            compile("<#list 1..2000000000 as i><#assign x = i></#list>", TemplateFormat.TEXT)
                .render(Map.of(), new TemplateLimits(10_000, Duration.ofMillis(200))));
    assertThat(problem.message()).isEqualTo("render time exceeded 200 ms");
    assertThat(Thread.currentThread().isInterrupted())
        .as("the watchdog's interrupt is cleared")
        .isFalse();
  }

  @Test
  void hugeOutputStopsAtTheOutputCap() {
    TemplateProblem problem =
        failure(
            compile("<#list 1..100000000 as i>xxxxxxxxxx</#list>", TemplateFormat.TEXT)
                .render(Map.of(), LIMITS));
    assertThat(problem.message()).isEqualTo("output exceeds 10000 characters");
  }

  @Test
  void aCompiledTemplateIsReusedAcrossRendersAndThreads() throws Exception {
    CompiledTemplate template = compile("${n}", TemplateFormat.TEXT);
    List<Thread> threads = new java.util.ArrayList<>();
    java.util.concurrent.ConcurrentLinkedQueue<String> outputs =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    for (int i = 0; i < 8; i++) {
      int n = i;
      Thread t = new Thread(() -> outputs.add(rendered(template.render(Map.of("n", n), LIMITS))));
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(outputs).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5", "6", "7");
  }
}
