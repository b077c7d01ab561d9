package io.nm4j.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nm4j.core.Receipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepliesTest {
  @Test
  void absolutePathsAreCutToTheirLastNameAndUrlsAndRelativePathsStay() {
    assertThat(Replies.withoutAbsolutePaths("directory /etc/nm4j/config cannot be read"))
        .isEqualTo("directory config cannot be read");
    assertThat(Replies.withoutAbsolutePaths("cannot list /tmp/x/config/: NoSuchFileException"))
        .isEqualTo("cannot list config: NoSuchFileException");
    assertThat(Replies.withoutAbsolutePaths("(file journal in /var/lib/nm4j/journal)"))
        .isEqualTo("(file journal in journal)");
    assertThat(Replies.withoutAbsolutePaths("\"/srv/a b\" and /")).isEqualTo("\"a b\" and /");
    assertThat(Replies.withoutAbsolutePaths("http://127.0.0.1:19093/api/v2/alerts, sub/dir/x.yaml"))
        .isEqualTo("http://127.0.0.1:19093/api/v2/alerts, sub/dir/x.yaml");
  }

  @Test
  void durationsReadAsAnOperatorWritesThem() {
    assertThat(Replies.duration(Duration.ofMinutes(2))).isEqualTo("2m");
    assertThat(Replies.duration(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(Replies.duration(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Replies.duration(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void theAcceptedAnswerIsTheJsonAJacksonTreeWouldWrite() throws Exception {
    assertThat(new String(Replies.accepted(false, 12, 3), StandardCharsets.UTF_8))
        .isEqualTo("{\"status\":\"accepted\",\"notifications\":12,\"unrouted\":3}");
    assertThat(
            new ObjectMapper()
                .readTree(Replies.accepted(new Receipt(true, List.of(), List.of(), List.of()))))
        .isEqualTo(
            new ObjectMapper()
                .createObjectNode()
                .put("status", "duplicate")
                .put("notifications", 0)
                .put("unrouted", 0));
  }
}
