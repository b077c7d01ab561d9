package io.nm4j.core.internal.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectMeta;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** How a {@code v1/Secret}'s values are read: strict base64 in {@code data}, text in stringData. */
class SecretReaderTest {

  @Test
  void dataDecodesToTheBytesJavaUtilBase64GivesForEveryLengthAndPadding() {
    SplittableRandom random = new SplittableRandom(7);
    for (int length = 0; length <= 64; length++) {
      byte[] value = new byte[length];
      random.nextBytes(value);
      String encoded = Base64.getEncoder().encodeToString(value);
      assertThat(SecretReader.strictBase64(encoded)).as("length %d", length).isEqualTo(value);
      assertThat(
              SecretReader.strictBase64(
                  Base64.getMimeEncoder(8, "\r\n".getBytes()).encodeToString(value)))
          .as("length %d, in lines", length)
          .isEqualTo(value);
    }
  }

  @Test
  void dataDropsTheBitsBeyondTheLastByteAsJavaUtilBase64Does() {
    for (String text : new String[] {"QR==", "QUJ=", "QUJD", " Q U\tJ=\n"}) {
      assertThat(SecretReader.strictBase64(text))
          .as(text)
          .isEqualTo(Base64.getDecoder().decode(text.replaceAll("\\s", "")));
    }
  }

  @Test
  void dataOutsideTheAlphabetOrWithMisplacedPaddingIsRejected() {
    for (String text : new String[] {"QUJ", "Q===", "QR=A", "QUJD=", "QU-D", "QU_D", "QUJ€"}) {
      assertThatThrownBy(() -> SecretReader.strictBase64(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void readGivesDataDecodedAndStringDataAsTextReportingMalformedKeysWithoutTheirValues() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put(
        "token", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8)));
    data.put("broken", "not base64!");
    ConfigObject secret =
        new ConfigObject(
            "v1",
            SecretReader.KIND,
            ObjectMeta.of("creds", "ns", Map.of()),
            Map.of("data", data, "stringData", Map.of("user", "alice")),
            "test");
    SnapshotProblems problems = new SnapshotProblems();

    Map<String, byte[]> values = SecretReader.read(secret, problems);

    assertThat(values).containsOnlyKeys("token", "user");
    assertThat(new String(values.get("token"), StandardCharsets.UTF_8)).isEqualTo("s3cret");
    assertThat(new String(values.get("user"), StandardCharsets.UTF_8)).isEqualTo("alice");
    assertThat(problems.all())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.field()).isEqualTo("data.broken");
              assertThat(p.message())
                  .isEqualTo("is not valid base64")
                  .doesNotContain("not base64!");
            });
  }
}
