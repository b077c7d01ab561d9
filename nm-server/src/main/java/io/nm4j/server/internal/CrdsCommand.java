package io.nm4j.server.internal;

import io.nm4j.k8s.KubernetesManifests;
import io.nm4j.spi.KindDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nm4j crds}: prints the CustomResourceDefinitions of every kind the channels of this jar
 * and of the plugins read, and with {@code --rbac} the server's RBAC rules, so a plugin channel's
 * CRDs need no hand-writing.
 */
@Command(
    name = "crds",
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    description =
        "Print the CRDs of the kinds of every channel present, plugins included; with --rbac also"
            + " the server's RBAC rules.",
    footer = {
      "",
      "Prints one multi-document YAML stream: a CRD for the NotificationManager settings and for",
      "each channel's config and receiver kind, then with --rbac the ServiceAccount nm4j, its Role",
      "in --namespace and its ClusterRole on RoleBindings. Apply it with",
      "  java -jar nm4j.jar crds --plugins plugins --rbac | kubectl apply -f -",
      "Exit codes: 0 printed; 2 unusable plugins, a channel that does not describe its kinds, bad",
      "arguments."
    })
public final class CrdsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Mixin ChannelsAndNamespace channels = new ChannelsAndNamespace();

  @Option(
      names = "--rbac",
      description = "also print the RBAC rules of the server's ServiceAccount in --namespace")
  boolean rbac;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String manifests;
    try {
      List<KindDescription> kinds = channels.registry().kindDescriptions();
      manifests =
          rbac
              ? KubernetesManifests.all(kinds, channels.namespace())
              : String.join("---\n", KubernetesManifests.crds(kinds).values());
    } catch (InputException | IllegalArgumentException e) {
      err.println("nm4j crds: " + Lines.oneLine(String.valueOf(e.getMessage())));
      return 2;
    }
    out.print(manifests);
    out.flush();
    return 0;
  }
}
