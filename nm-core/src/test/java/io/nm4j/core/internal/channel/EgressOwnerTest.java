package io.nm4j.core.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.nm4j.core.internal.Owner;
import io.nm4j.spi.LabelSelector;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.SecretKeySelector;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class EgressOwnerTest {
  private static final Owner ALICE = Owner.tenant("alice");

  /** A receiver that names only recipients; its config names the destinations. */
  private record Recipients() implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return null;
    }
  }

  /** A receiver holding its webhook URL in a secret, as Discord's and WeChat Work's robot do. */
  private record Webhook() implements ReceiverSpec {
    @Override
    public @Nullable LabelSelector configSelector() {
      return null;
    }

    @Override
    public Map<String, SecretKeySelector> secretRefs() {
      return Map.of("spec.webhook", new SecretKeySelector("hook", "url"));
    }
  }

  @Test
  void aTenantReceiverHoldingItsWebhookIsHeldToItsTenantsPolicyEvenWithTheAdminsConfig() {
    assertThat(ChannelRuntime.egressOwner(new Webhook(), ALICE, Owner.ADMIN)).isEqualTo(ALICE);
  }

  @Test
  void aTenantReceiverNamingOnlyRecipientsSendsUnderItsConfigOwnersPolicy() {
    assertThat(ChannelRuntime.egressOwner(new Recipients(), ALICE, Owner.ADMIN))
        .isEqualTo(Owner.ADMIN);
    assertThat(ChannelRuntime.egressOwner(new Recipients(), ALICE, ALICE)).isEqualTo(ALICE);
  }

  @Test
  void aGlobalReceiverSendsUnderTheAdminsPolicy() {
    assertThat(ChannelRuntime.egressOwner(new Webhook(), Owner.ADMIN, Owner.ADMIN))
        .isEqualTo(Owner.ADMIN);
  }
}
