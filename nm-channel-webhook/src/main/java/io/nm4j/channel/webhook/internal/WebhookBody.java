package io.nm4j.channel.webhook.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.MessageModel;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.SendRequest;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSlots;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The body a webhook posts: Alertmanager's webhook JSON (version 4) exactly, or what the receiver's
 * {@value #BODY} template renders when it has one. A rendered body must be one complete JSON value,
 * or the render fails and Alertmanager's JSON is posted instead, with the reason.
 */
public final class WebhookBody {
  /** The name of a custom template replacing Alertmanager's JSON. */
  public static final String BODY = "body";

  /** The one template a custom one may replace: the body, in JSON. */
  public static final TemplateSlots SLOTS = TemplateSlots.single(BODY, TemplateFormat.JSON);

  private static final JsonFactory JSON = new JsonFactory();

  private WebhookBody() {}

  /**
   * The body of {@code request}, and why a custom template was not used when it was not.
   *
   * @param bytes the UTF-8 JSON to post
   * @param problem the custom template's problem, or {@code null}
   */
  public record Rendered(byte[] bytes, @Nullable TemplateProblem problem) {}

  public static Rendered of(SendRequest<?, ?> request) {
    RenderOptions options = request.rendering();
    CompiledTemplate custom = options.template(BODY);
    if (custom == null) {
      return new Rendered(WebhookPayload.render(request.notification()), null);
    }
    TemplateOutput out =
        custom.render(
            MessageModel.of(request.notification(), options.settings()), TemplateLimits.DEFAULT);
    TemplateProblem problem;
    if (out instanceof TemplateOutput.Rendered r) {
      String invalid = invalidJson(r.text());
      if (invalid == null) {
        return new Rendered(r.text().getBytes(StandardCharsets.UTF_8), null);
      }
      problem = TemplateProblem.of(custom.name(), "the rendered body is not JSON: " + invalid);
    } else {
      problem = ((TemplateOutput.Failed) out).problem();
    }
    return new Rendered(WebhookPayload.render(request.notification()), problem);
  }

  /** Why {@code text} is not exactly one JSON value, or {@code null} when it is. */
  static @Nullable String invalidJson(String text) {
    try (JsonParser parser = JSON.createParser(text)) {
      if (parser.nextToken() == null) {
        return "it is empty";
      }
      parser.skipChildren();
      JsonToken after = parser.nextToken();
      return after == null
          ? null
          : "more than one value (line " + parser.currentLocation().getLineNr() + ")";
    } catch (JsonProcessingException e) {
      return e.getOriginalMessage()
          + " (line "
          + (e.getLocation() == null ? 0 : e.getLocation().getLineNr())
          + ", column "
          + (e.getLocation() == null ? 0 : e.getLocation().getColumnNr())
          + ")";
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
