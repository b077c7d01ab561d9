package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nm4j.core.admin.AdminException;
import io.nm4j.core.admin.Caller;
import io.nm4j.core.admin.TokenFileAuthenticator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file fails closed and a change is in effect within two seconds. */
class TokenFileAuthenticatorTest {
  private static final Duration WITHIN = Duration.ofSeconds(2);

  @TempDir Path dir;

  /** The caller's user for a bearer token, or the HTTP status it is refused with. */
  private static String who(TokenFileAuthenticator auth, String token) {
    try {
      Caller c = auth.authenticate(h -> List.of("Bearer " + token));
      return c == null ? "none" : c.user();
    } catch (AdminException e) {
      return String.valueOf(e.status().code());
    }
  }

  @Test
  void tokensAuthenticateTheirUserAndGroupsAndOthersAre401() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "# admins\nroot-token-1,root,nm-admins|ops\n\nalice-token,alice\n");
    TokenFileAuthenticator auth = TokenFileAuthenticator.of(file);
    Caller root =
        auth.authenticate(
            h ->
                Map.of("Authorization", List.of("Bearer root-token-1")).getOrDefault(h, List.of()));
    assertThat(root).isEqualTo(new Caller("root", java.util.Set.of("nm-admins", "ops")));
    assertThat(who(auth, "alice-token")).isEqualTo("alice");
    assertThat(who(auth, "guess")).isEqualTo("401");
    assertThat(auth.authenticate(h -> List.of())).isNull();
  }

  @Test
  void aDeletedFileRevokesEveryToken() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "alice-token,alice\n");
    TokenFileAuthenticator auth = TokenFileAuthenticator.of(file);
    assertThat(who(auth, "alice-token")).isEqualTo("alice");
    Files.delete(file);
    await().atMost(WITHIN).until(() -> who(auth, "alice-token").equals("401"));
    Files.writeString(file, "alice-token,alice\n");
    await().atMost(WITHIN).until(() -> who(auth, "alice-token").equals("alice"));
  }

  @Test
  void aMalformedLineRevokesEveryTokenAndTheLogNamesTheLineNeverTheToken() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "alice-token,alice\nbob-token,bob\n");
    TokenFileAuthenticator auth = TokenFileAuthenticator.of(file);
    try (LogCapture log = new LogCapture()) {
      Files.writeString(file, "alice-token,alice\nsecret-without-user\nbob-token,bob\n");
      await().atMost(WITHIN).until(() -> who(auth, "alice-token").equals("401"));
      assertThat(who(auth, "bob-token")).isEqualTo("401");
      assertThat(log.text())
          .contains("line 2: malformed", "every token is revoked")
          .doesNotContain("secret-without-user", "alice-token", "bob-token");
    }
    Files.writeString(file, "alice-token,alice\n");
    await().atMost(WITHIN).until(() -> who(auth, "alice-token").equals("alice"));
  }

  @Test
  void aFileWithoutAValidLineRevokesEveryToken() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "alice-token,alice\n");
    TokenFileAuthenticator auth = TokenFileAuthenticator.of(file);
    Files.writeString(file, "# everyone removed\n");
    await().atMost(WITHIN).until(() -> who(auth, "alice-token").equals("401"));
  }

  @Test
  void aRewriteKeepingSizeAndModificationTimeIsStillAppliedWithinTwoSeconds() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "token-aaaa,alice\n");
    FileTime stamp = Files.getLastModifiedTime(file);
    TokenFileAuthenticator auth = TokenFileAuthenticator.of(file);
    assertThat(who(auth, "token-aaaa")).isEqualTo("alice");
    Files.writeString(file, "token-bbbb,alice\n");
    Files.setLastModifiedTime(file, stamp);
    await().atMost(WITHIN).until(() -> who(auth, "token-aaaa").equals("401"));
    assertThat(who(auth, "token-bbbb")).isEqualTo("alice");
  }
}
