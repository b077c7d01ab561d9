package io.nm4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.KindDescription;
import io.nm4j.spi.Schema;
import io.nm4j.spi.Schemas;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fields a kind's description does not know make the object invalid, naming the field. */
class UnknownFieldsTest {

  /** The Pager channel of the routing tests, with its kinds described. */
  static class DescribedPager extends DelegatingPagerProvider {
    DescribedPager() {
      super(new PagerChannelProvider());
    }

    @Override
    public ChannelDescription description() {
      return ChannelDescription.of(
              "pager",
              KindDescription.of(
                  "PagerReceiver",
                  "Who is paged.",
                  Schema.object()
                      .required("to", Schema.string())
                      .property("pagerConfigSelector", Schemas.labelSelector("Which config."))
                      .build()),
              KindDescription.of(
                  "PagerConfig",
                  "The pager's token.",
                  Schema.object()
                      .property("token", Schemas.secretKeySelector("The token."))
                      .build()))
          .withSettingsOptions(
              Schema.object().property("retries", Schema.integer().ignored()).build());
    }
  }

  private static final ChannelRegistry CHANNELS = ChannelRegistry.of(List.of(new DescribedPager()));

  private static Snapshot snapshot(String yaml) {
    return Snapshot.build(
        Fixtures.yaml(yaml), CHANNELS, NotificationManager.DEFAULT_NAMESPACE, null);
  }

  @Test
  void aMisspeltSelectorMakesTheReceiverInvalidInsteadOfReroutingItToTheDefault() {
    Snapshot s =
        snapshot(
            Fixtures.config("default-pager", "{type: default}")
                + "\n---\n"
                + Fixtures.config("team-pager", "{team: a}")
                + "\n---\n"
                + Fixtures.receiver(
                    "PagerReceiver",
                    "ops",
                    "{type: global}",
                    "{to: ops, pagerConfigSelectr: {matchLabels: {team: a}}}"));

    assertThat(Fixtures.problems(s))
        .contains(
            "PagerReceiver/ops: spec.pagerConfigSelectr: unknown field; did you mean"
                + " pagerConfigSelector?");
    assertThat(s.destinations()).isEmpty();
  }

  @Test
  void unknownFieldsAreFoundAtAnyDepthWithTheirPath() {
    Snapshot s =
        snapshot(
            Fixtures.receiver(
                "PagerReceiver",
                "ops",
                "{type: global}",
                "{to: ops, pagerConfigSelector: {matchExpressions: [{key: k, operator: Exists,"
                    + " valeus: []}]}, zzz: 1}"));

    assertThat(Fixtures.problems(s))
        .contains(
            "PagerReceiver/ops: spec.pagerConfigSelector.matchExpressions[0].valeus: unknown"
                + " field; did you mean values?",
            "PagerReceiver/ops: spec.zzz: unknown field; known fields: to, pagerConfigSelector");
  }

  @Test
  void aProviderErrorAboutAnUnknownFieldIsNotReportedTwice() {
    Snapshot s =
        snapshot(
            Fixtures.receiver(
                "PagerReceiver",
                "ops",
                "{type: global}",
                "{to: ops, pagerConfigSelector: {matchLabel: {team: a}}}"));

    assertThat(Fixtures.problems(s))
        .containsExactly(
            "PagerReceiver/ops: spec.pagerConfigSelector.matchLabel: unknown field; did you mean"
                + " matchLabels?");
  }

  @Test
  void aHostileSpecWithThousandsOfUnknownFieldsGetsABoundedReport() {
    StringBuilder spec = new StringBuilder("{to: ops");
    for (int i = 0; i < 5_000; i++) {
      spec.append(", f").append(i).append(": 1");
    }
    Snapshot s =
        snapshot(
            Fixtures.receiver(
                "PagerReceiver", "ops", "{type: global}", spec.append('}').toString()));

    assertThat(s.problems()).hasSize(21);
    assertThat(Fixtures.problems(s))
        .contains("PagerReceiver/ops: spec: and 4980 more unknown fields not listed");
  }

  @Test
  void aMisspeltSettingsFieldIsAnErrorWhileTheFieldsReadStillApply() {
    Snapshot s =
        snapshot(
            "apiVersion: notification.kubesphere.io/v1alpha1\nkind: NotificationManager\n"
                + "metadata: {name: nm}\nspec:\n  receivers:\n    tenantKey: user\n"
                + "    tenantKy: namespace\n    options: {pager: {retries: 3}}\n  replicas: 1\n");

    assertThat(Fixtures.problems(s))
        .contains(
            "NotificationManager/nm: spec.receivers.tenantKy: unknown field; did you mean"
                + " tenantKey?");
    // A described option nm4j does not use is accepted, and said to be ignored (a notice).
    assertThat(s.problems())
        .filteredOn(p -> p.field().startsWith("spec.receivers.options.pager"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.severity()).isEqualTo(io.nm4j.spi.Problem.Severity.NOTICE);
              assertThat(p.field()).isEqualTo("spec.receivers.options.pager.retries");
              assertThat(p.message()).isEqualTo("nm4j does not use this option; ignored");
            });
    assertThat(s.settings().tenantKey()).isEqualTo("user");
  }

  @Test
  void aDescriptionThatContradictsItsProviderIsRefusedNamingTheProvider() {
    ChannelProvider<?, ?> noSelector =
        new DescribedPager() {
          @Override
          public String selectorField() {
            return "pagerSelector";
          }
        };

    assertThatThrownBy(() -> ChannelRegistry.of(List.of(noSelector)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no selector field pagerSelector");
  }
}
