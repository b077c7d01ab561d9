package io.nm4j.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMembers;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.nm4j.spi.Secret;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The boundaries of the published modules, checked on their compiled main classes. A module is its
 * package root: {@code io.nm4j.core} (with {@code io.nm4j.core.admin}, ...), {@code io.nm4j.http},
 * {@code io.nm4j.channel.slack}, {@code io.nm4j.template.freemarker}, and so on. The channel names
 * in sources are checked by {@link ChannelNamesTest}.
 */
@AnalyzeClasses(packages = "io.nm4j", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Raw types that can carry a secret's value once it is revealed. */
  private static final Set<String> PLAINTEXT_TYPES =
      Set.of(
          String.class.getName(),
          byte[].class.getName(),
          char[].class.getName(),
          CharSequence.class.getName());

  /**
   * Methods that read a secret's value and return text computed from it that does not give the
   * value back, with what they return.
   */
  private static final Map<String, String> DERIVED_FROM_A_SECRET =
      Map.of(
          "io.nm4j.channel.dingtalk.internal.Signer.base64",
          "the HMAC-SHA256 signature of a timestamp, keyed with the robot's secret",
          "io.nm4j.channel.dingtalk.internal.TokenCache.key",
          "a SHA-256 of an app's key and secret, to find its cached token",
          "io.nm4j.channel.feishu.internal.FeishuSigner.sign",
          "the HMAC-SHA256 signature of a timestamp, keyed with the bot's secret");

  @ArchTest
  static final ArchRule internalPackagesAreUsedOnlyInsideTheirOwnModule =
      classes()
          .that()
          .resideInAPackage("io.nm4j..")
          .should(useNoOtherModulesInternals())
          .because("a module's .internal packages are details it may change at any time");

  @ArchTest
  static final ArchRule coreKubernetesSourceAndServerNameNoChannel =
      noClasses()
          .that()
          .resideInAnyPackage("io.nm4j.core..", "io.nm4j.k8s..", "io.nm4j.server..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.nm4j.channel..")
          .because("everything channel-specific comes from the channel's provider");

  @ArchTest
  static final ArchRule coreDependsOnNoQueueEngine =
      noClasses()
          .that()
          .resideInAPackage("io.nm4j.core..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.apache.kafka..")
          .because("a shared queue plugs in through the core's SharedQueue; nm-kafka brings Kafka");

  @ArchTest
  static final ArchRule noPublicMethodHandsOutASecretsValue =
      methods()
          .that()
          .arePublic()
          .and()
          .areDeclaredInClassesThat()
          .resideInAPackage("io.nm4j..")
          .and()
          .areDeclaredInClassesThat(not(Secret.class))
          .should(notReturnWhatTheyRevealOfASecret())
          .because("only Secret#reveal and Secret#bytes give a secret's value, where it is sent");

  @ArchTest
  static final ArchRule publicApiSignaturesHoldNoInternalType =
      noMembers()
          .that(arePublicApi())
          .should(
              mentionTypesIn("internal packages", t -> t.getPackageName().contains(".internal")))
          .because("what users may touch is in the package root; .internal is not API");

  @ArchTest
  static final ArchRule coreApiSignaturesHoldNoJacksonType =
      noMembers()
          .that(arePublicApi())
          .and()
          .areDeclaredInClassesThat()
          .resideInAPackage("io.nm4j.core..")
          .should(mentionTypesIn("Jackson", t -> t.getPackageName().startsWith("com.fasterxml.")))
          .because("the core's users need no JSON library; Jackson is an implementation detail");

  /** {@code io.nm4j.channel.slack} for any package of the Slack channel, else {@code io.nm4j.x}. */
  static String moduleOf(String packageName) {
    String[] parts = packageName.split("\\.");
    // io.nm4j.channel.<name> and io.nm4j.template.<engine> are one module per name.
    int depth =
        parts.length > 2 && (parts[2].equals("channel") || parts[2].equals("template")) ? 4 : 3;
    return String.join(".", List.of(parts).subList(0, Math.min(depth, parts.length)));
  }

  private static ArchCondition<JavaClass> useNoOtherModulesInternals() {
    return new ArchCondition<>("use no other module's internal packages") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        String module = moduleOf(origin.getPackageName());
        for (Dependency d : origin.getDirectDependenciesFromSelf()) {
          String target = d.getTargetClass().getPackageName();
          if (target.startsWith("io.nm4j.")
              && (target.contains(".internal.") || target.endsWith(".internal"))
              && !moduleOf(target).equals(module)) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  private static DescribedPredicate<JavaClass> not(Class<?> type) {
    return DescribedPredicate.describe(
        "are not " + type.getName(), c -> !c.getName().equals(type.getName()));
  }

  /**
   * A public method that reads a secret's value ({@code reveal()}, {@code bytes()}) and returns a
   * string or bytes hands that value to whoever calls it.
   */
  private static ArchCondition<JavaMethod> notReturnWhatTheyRevealOfASecret() {
    return new ArchCondition<>("not reveal a secret and return text or bytes") {
      @Override
      public void check(JavaMethod method, ConditionEvents events) {
        if (!PLAINTEXT_TYPES.contains(method.getRawReturnType().getName())
            || DERIVED_FROM_A_SECRET.containsKey(
                method.getOwner().getName() + "." + method.getName())) {
          return;
        }
        for (JavaMethodCall call : method.getMethodCallsFromSelf()) {
          if (call.getTargetOwner().isEquivalentTo(Secret.class)
              && (call.getName().equals("reveal") || call.getName().equals("bytes"))) {
            events.add(SimpleConditionEvent.violated(method, call.getDescription()));
          }
        }
      }
    };
  }

  /** Public and protected members of public classes outside internal packages: the API. */
  private static DescribedPredicate<JavaMember> arePublicApi() {
    return DescribedPredicate.describe(
        "are public API",
        m ->
            m.getOwner().getPackageName().startsWith("io.nm4j.")
                && !m.getOwner().getPackageName().contains(".internal")
                && isVisible(m.getOwner())
                && (m.getModifiers().contains(JavaModifier.PUBLIC)
                    || m.getModifiers().contains(JavaModifier.PROTECTED)));
  }

  private static boolean isVisible(JavaClass c) {
    for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
      if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
        return false;
      }
    }
    return true;
  }

  private static ArchCondition<JavaMember> mentionTypesIn(
      String what, java.util.function.Predicate<JavaClass> forbidden) {
    return new ArchCondition<>("mention types of " + what + " in their signature") {
      @Override
      public void check(JavaMember member, ConditionEvents events) {
        Set<JavaClass> involved = new HashSet<>();
        if (member instanceof JavaField field) {
          involved.addAll(field.getType().getAllInvolvedRawTypes());
        } else if (member instanceof JavaCodeUnit code) {
          involved.addAll(code.getReturnType().getAllInvolvedRawTypes());
          code.getParameterTypes().forEach(t -> involved.addAll(t.getAllInvolvedRawTypes()));
          involved.addAll(code.getExceptionTypes());
        }
        for (JavaClass t : involved) {
          if (forbidden.test(t)) {
            events.add(
                new SimpleConditionEvent(
                    member, true, member.getFullName() + " mentions " + t.getName()));
          }
        }
      }
    };
  }
}
