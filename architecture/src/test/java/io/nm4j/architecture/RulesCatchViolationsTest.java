package io.nm4j.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link ArchitectureTest} fails on a class that breaks it: the fixtures in this
 * module's test sources ({@code io.nm4j.fixtureb}, {@code io.nm4j.core.archfixture}, {@code
 * io.nm4j.server.archfixture}), which the rules on the published modules do not import.
 */
class RulesCatchViolationsTest {
  private static final JavaClasses FIXTURES =
      new ClassFileImporter()
          .importPackages(
              "io.nm4j.fixturea",
              "io.nm4j.fixtureb",
              "io.nm4j.core.archfixture",
              "io.nm4j.server.archfixture");

  private static void assertViolated(ArchRule rule, String expected) {
    assertThatThrownBy(() -> rule.check(FIXTURES))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(expected);
  }

  @Test
  void aModuleUsingAnotherModulesInternalPackageIsAViolation() {
    assertViolated(
        ArchitectureTest.internalPackagesAreUsedOnlyInsideTheirOwnModule,
        "UsesAnotherModulesInternals");
  }

  @Test
  void serverCodeNamingAChannelClassIsAViolation() {
    assertViolated(
        ArchitectureTest.coreKubernetesSourceAndServerNameNoChannel, "SlackChannelProvider");
  }

  @Test
  void aPublicMethodReturningARevealedSecretIsAViolation() {
    assertViolated(ArchitectureTest.noPublicMethodHandsOutASecretsValue, "HandsOutASecret.token");
  }

  @Test
  void aCoreApiMethodReturningAJacksonTypeIsAViolation() {
    assertViolated(ArchitectureTest.coreApiSignaturesHoldNoJacksonType, "ObjectNode");
  }

  @Test
  void anApiMethodReturningAnInternalTypeIsAViolation() {
    assertViolated(ArchitectureTest.publicApiSignaturesHoldNoInternalType, "OwnedSecrets");
  }

  @Test
  void aModuleIsItsPackageRoot() {
    assertThat(ArchitectureTest.moduleOf("io.nm4j.core.internal.admin")).isEqualTo("io.nm4j.core");
    assertThat(ArchitectureTest.moduleOf("io.nm4j.channel.slack.internal"))
        .isEqualTo("io.nm4j.channel.slack");
    assertThat(ArchitectureTest.moduleOf("io.nm4j.spi")).isEqualTo("io.nm4j.spi");
    assertThat(ArchitectureTest.moduleOf("io.nm4j.template.freemarker.internal"))
        .isEqualTo("io.nm4j.template.freemarker");
  }
}
