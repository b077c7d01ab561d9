package io.nm4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code --kafka-*} options of {@code serve}: a wrong one stops it with one line naming it. */
class KafkaOptionsTest {
  @TempDir Path tmp;

  @Test
  void aWrongOrOrphanedKafkaOptionExits2WithOneLineNamingTheFlag() throws Exception {
    Map<List<String>, String> cases =
        Map.of(
            List.of("--kafka-topic", "alerts"),
                "nm4j serve: --kafka-topic: needs --kafka-bootstrap",
            List.of("--kafka-property", "acks=1"),
                "nm4j serve: --kafka-property: needs --kafka-bootstrap",
            List.of("--kafka-bootstrap", "127.0.0.1:9", "--kafka-dead-letter-topic", "a b"),
                "nm4j serve: --kafka-dead-letter-topic: must be 1 to 200 letters, digits",
            List.of("--kafka-bootstrap", "127.0.0.1:9", "--kafka-topic", "../alerts"),
                "nm4j serve: --kafka-topic: must be 1 to 200 letters, digits",
            List.of("--kafka-bootstrap", "127.0.0.1:9", "--kafka-partitions", "0"),
                "nm4j serve: --kafka-partitions: must be 1..10000",
            List.of("--kafka-bootstrap", "127.0.0.1:9", "--kafka-property", "acks"),
                "nm4j serve: --kafka-property: expected KEY=VALUE",
            List.of("--kafka-bootstrap", "127.0.0.1:9", "--kafka-append-timeout", "0s"),
                "nm4j serve: --kafka-append-timeout: must be positive",
            List.of("--rate-share", "0"), "nm4j serve: --rate-share: must be 1..1000");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      List<String> line = new ArrayList<>(List.of("serve"));
      line.addAll(
          List.of(
              InProcessServe.options(
                  Files.createDirectories(tmp.resolve("config")),
                  tmp.resolve("data"),
                  c.getKey().toArray(new String[0]))));
      Cli.Result r = Cli.run(line.toArray(new String[0]));
      assertThat(r.exit()).as(c.getKey().toString()).isEqualTo(2);
      assertThat(r.errLines()).as(c.getKey().toString()).hasSize(1);
      assertThat(r.err()).as(c.getKey().toString()).startsWith(c.getValue());
    }
  }
}
