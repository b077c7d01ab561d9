package io.nm4j.channel.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nm4j.http.HttpClientFactory;
import io.nm4j.spi.AlertBatch;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.Notification;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.Scope;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.SendResult;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSource;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTemplateTest {
  private static final TemplateEngine ENGINE =
      TemplateEngine.onClassPath(WebhookTemplateTest.class.getClassLoader());
  private final MockWebServer server = new MockWebServer();
  private final HttpClientFactory http = HttpClientFactory.create();
  private final WebhookChannel channel = new WebhookChannel(http, Clock.systemUTC());
  private SendResult result;

  @BeforeEach
  void start() throws Exception {
    server.start(InetAddress.getByName("127.0.0.1"), 0);
  }

  @AfterEach
  void stop() {
    http.close();
    server.close();
  }

  private JsonNode post(String template) throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).build());
    AlertBatch batch = Fixtures.batch(Fixtures.json("mixed-firing-resolved.json"));
    Notification n =
        new Notification(
            "n1",
            new ObjectRef("WebhookReceiver", "hook"),
            Scope.GLOBAL,
            null,
            null,
            batch.alerts(),
            batch);
    WebhookConfig config =
        new WebhookChannelProvider()
            .parseConfig(SpecReader.of(Map.of("url", server.url("/in").toString()), "ns"))
            .value();
    CompiledTemplate custom =
        ((TemplateCompilation.Compiled)
                ENGINE.compile(new TemplateSource("hook.ftl", template), TemplateFormat.JSON))
            .template();
    result =
        channel.send(
            new SendRequest<>(
                    n, new WebhookReceiver(null), config, Map.of(), Instant.now().plusSeconds(10))
                .withRendering(
                    new RenderOptions(MessageSettings.DEFAULT, Map.of("body", custom), null)));
    return Fixtures.JSON.readTree(server.takeRequest().getBody().string(StandardCharsets.UTF_8));
  }

  @Test
  void aBodyTemplateRendersTheJsonPostedWithValuesEscaped() throws Exception {
    JsonNode body =
        post(
            "{\"text\": \"<#list alerts as a>${a.name} ${a.labels[0].value} \\\"q\\\"<#sep>; </#list>\","
                + " \"count\": ${alerts?size}}");

    assertThat(body.path("count").asInt()).isEqualTo(3);
    assertThat(body.path("text").asText()).startsWith("KubePodNotReady tenant-c \"q\"; ");
    assertThat(((SendResult.Delivered) result).detail()).endsWith(": HTTP 200 OK");
  }

  @Test
  void aBodyThatIsNotJsonFallsBackToAlertmanagersJsonAndSaysWhy() throws Exception {
    JsonNode body = post("text: ${alerts?size}");

    ObjectNode expected = (ObjectNode) Fixtures.json("mixed-firing-resolved.json");
    expected.put("receiver", "hook");
    assertThat(body).isEqualTo(expected);
    assertThat(((SendResult.Delivered) result).detail())
        .contains("template failed, built-in used: hook.ftl: the rendered body is not JSON: ");
  }
}
