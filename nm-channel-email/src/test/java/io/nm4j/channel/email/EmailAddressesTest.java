package io.nm4j.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.channel.email.internal.EmailAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ops@example.com",
        "first.last@example.com",
        "user+alerts@mail.example.co.uk",
        "o'brien@example.ie",
        "x@a-b.example",
        "root@localhost",
        "\"odd.@.local\"@example.com",
        "\"with\\\"quote\"@example.com",
        "#!$%&'*+-/=?^_`{}|~@example.org",
        "ops@xn--bcher-kva.example"
      })
  void acceptsValidAddresses(String address) {
    assertThat(EmailAddresses.problem(address)).isNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          not an address                | contains whitespace
          `ops@example.com `             | contains whitespace
          `ops@example.com\t`           | contains whitespace
          "a b"@example.com             | contains whitespace
          jörg@example.com              | contains a non-ASCII character
          ops.example.com               | has no @
          @example.com                  | has nothing before @
          ops@                          | has nothing after @
          .ops@example.com              | has a local part that starts or ends with a dot or holds two dots in a row
          ops.@example.com              | has a local part that starts or ends with a dot or holds two dots in a row
          o(p)s@example.com             | has '(' in its local part (quote the local part to use it)
          a@b@example.com               | has '@' in its local part (quote the local part to use it)
          Ops<ops@example.com>          | has '<' in its local part (quote the local part to use it)
          "ops@example.com              | has a local part with an unterminated quote
          "a"b"@example.com             | has a local part with an unescaped quote inside
          ops@-example.com              | has a domain label that starts or ends with a hyphen
          ops@example..com              | has a domain that starts or ends with a dot or holds two dots in a row
          ops@example.com.              | has a domain that starts or ends with a dot or holds two dots in a row
          ops@exa_mple.com              | has '_' in its domain
          ops@192.0.2.1                 | has a numeric top-level domain; an IP address is not a host name
          ops@[192.0.2.1]               | has an address literal as its domain; use a host name
          """)
  void rejectsInvalidAddressesSayingWhy(String address, String problem) {
    assertThat(EmailAddresses.problem(address)).isEqualTo(problem);
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 300})
  void rejectsOverlongParts(int length) {
    String address = "a".repeat(length) + "@example.com";

    assertThat(EmailAddresses.problem(address)).isNotNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ops@example.com                      | | ops@example.com
          Alerts <noreply@example.com>         | Alerts | noreply@example.com
          '"Ops, EU" <ops@example.com>'        | Ops, EU | ops@example.com
          '"say \\"hi\\"" <ops@example.com>'    | say "hi" | ops@example.com
          Überwachung <ops@example.com>        | Überwachung | ops@example.com
          <ops@example.com>                    | | ops@example.com
          """)
  void sendersAreAnAddressOrADisplayNameAndAnAddress(String from, String name, String address) {
    assertThat(EmailAddresses.senderProblem(from)).isNull();
    assertThat(EmailAddresses.sender(from)).isEqualTo(new EmailAddresses.Sender(name, address));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          Alerts <ops at example.com>     | has an address in <> that contains whitespace
          Ops, EU <ops@example.com>       | has ',' in its display name (quote the name to use it)
          '"Ops <ops@example.com>'        | has '"' in its display name (quote the name to use it)
          Alerts ops@example.com>         | has '>' without '<'
          """)
  void aBadSenderIsRefusedSayingWhy(String from, String problem) {
    assertThat(EmailAddresses.senderProblem(from)).isEqualTo(problem);
  }

  @org.junit.jupiter.api.Test
  void aLineBreakInADisplayNameIsRefusedSoNoHeaderCanBeInjected() {
    assertThat(EmailAddresses.senderProblem("Ops\r\nBcc: x@evil.example <ops@example.com>"))
        .isEqualTo("contains a control character");
  }
}
