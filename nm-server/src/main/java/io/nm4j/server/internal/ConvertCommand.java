package io.nm4j.server.internal;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Destination;
import io.nm4j.core.Manifests;
import io.nm4j.core.Settings;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelSpec;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Problem;
import io.nm4j.spi.SpecReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nm4j convert}: writes a directory of v1alpha1 manifests as notification-manager's v2beta2
 * objects, and lists what it could not carry over.
 */
@Command(
    name = "convert",
    descriptionHeading = "%n",
    optionListHeading = "%nOptions:%n",
    description = "Write a directory of v1alpha1 manifests as v2beta2 Receivers and Configs.",
    footer = {
      "",
      "Each v1alpha1 receiver becomes a block of a Receiver of the same name, each config a block",
      "of a Config (receivers or configs of one name and the same labels share one object).",
      "Secret references become Credentials; Secrets, RoleBindings and the settings are copied.",
      "What a v2beta2 receiver names itself moves from its config into its block (a webhook's",
      "destination; a DingTalk robot and chat, the Config keeping only the app's credentials).",
      "Writes one file per object into --out (which must be empty or absent) and prints, one per",
      "line, what it could not carry over or what routes differently.",
      "Exit codes: 0 converted; 1 converted with objects left out; 2 unreadable input, bad",
      "arguments."
    })
public final class ConvertCommand implements Callable<Integer> {
  private static final String V2BETA2 = ConfigObject.API_VERSION_V2BETA2;

  @Spec CommandSpec spec;

  @Mixin HelpOption help = new HelpOption();

  @Mixin ConfigInput input = new ConfigInput();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "directory to write the v2beta2 manifests to (created; must be empty)")
  String out = "";

  /** One object being written, with the blocks gathered into it so far. */
  private record Target(
      String kind, String name, Map<String, String> labels, Map<String, Object> spec) {}

  @Override
  public Integer call() {
    try {
      ConfigInput.Loaded config = input.load();
      Path dir = outDirectory(out);
      List<String> notes = new ArrayList<>();
      Map<String, Object> written = convert(config, notes);
      for (Map.Entry<String, Object> e : written.entrySet()) {
        Files.writeString(dir.resolve(e.getKey()), Manifests.writeYaml(e.getValue()));
      }
      notes.forEach(spec.commandLine().getOut()::println);
      spec.commandLine()
          .getErr()
          .println(written.size() + " objects written to " + out + ", " + notes.size() + " notes");
      return notes.stream().anyMatch(n -> n.contains("not converted")) ? 1 : 0;
    } catch (InputException e) {
      spec.commandLine()
          .getErr()
          .println("nm4j convert: " + Lines.oneLine(String.valueOf(e.getMessage())));
      return 2;
    } catch (IOException e) {
      spec.commandLine().getErr().println("nm4j convert: cannot write: " + e.getMessage());
      return 2;
    }
  }

  private static Path outDirectory(String text) throws InputException, IOException {
    Path dir;
    try {
      dir = Path.of(text);
    } catch (InvalidPathException e) {
      throw new InputException("--out " + text + ": not a valid path");
    }
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw new InputException("--out " + text + ": not a directory");
      }
      try (var files = Files.list(dir)) {
        if (files.findAny().isPresent()) {
          throw new InputException("--out " + text + ": not empty");
        }
      }
    }
    Files.createDirectories(dir);
    return dir;
  }

  /** File name: manifest tree, for every object converted. */
  static Map<String, Object> convert(ConfigInput.Loaded config, List<String> notes) {
    ChannelRegistry channels = config.channels();
    Set<String> invalid = new java.util.HashSet<>();
    for (Problem p : config.snapshot().problems()) {
      if (p.severity() == Problem.Severity.ERROR) {
        invalid.add(p.object());
      }
    }
    Map<ObjectRef, Destination> destinations = new HashMap<>();
    config.snapshot().destinations().forEach(d -> destinations.put(d.receiver(), d));
    Map<ObjectRef, ConfigObject> byRef = new HashMap<>();
    config.set().objects().forEach(o -> byRef.put(o.ref(), o));
    Set<ObjectRef> sharedAcrossOwners = sharedAcrossOwners(config.snapshot().destinations());
    Map<String, Target> targets = new TreeMap<>();
    Map<String, Object> files = new TreeMap<>();
    for (ConfigObject o : config.set().objects()) {
      ChannelProvider<?, ?> receiverOf = channels.forReceiverKind(o.kind());
      ChannelProvider<?, ?> configOf = channels.forConfigKind(o.kind());
      if (!o.apiVersion().equals(ConfigObject.API_VERSION)
          || (receiverOf == null && configOf == null && !o.kind().equals(Settings.KIND))) {
        files.put(fileName(o.kind(), o.metadata().name()), Manifests.toMap(o));
        continue;
      }
      if (invalid.contains(o.ref().toString())) {
        notes.add(o.ref() + ": not converted: it has errors (nm4j validate lists them)");
        continue;
      }
      if (o.kind().equals(Settings.KIND)) {
        Map<String, @Nullable Object> tree = Manifests.toMap(o);
        tree.put("apiVersion", V2BETA2);
        files.put(fileName(o.kind(), o.metadata().name()), tree);
        continue;
      }
      if (receiverOf != null) {
        Map<String, Object> block =
            credentials(
                receiverOf.receiverBlockOf(o.spec()),
                secretPaths(receiverOf.parseReceiver(reader(o)).value()));
        Destination d = destinations.get(o.ref());
        ConfigObject chosen = d == null || d.config() == null ? null : byRef.get(d.config());
        if (receiverOf.receiverBlockHoldsConfig()) {
          if (chosen == null) {
            notes.add(o.ref() + ": not converted: it has no config to take its destination from");
            continue;
          }
          block.remove(receiverOf.selectorField());
          block.putAll(configBlock(receiverOf, chosen));
        } else if (chosen != null && !sharedAcrossOwners.contains(chosen.ref())) {
          block = receiverOf.receiverBlockWithConfig(block, configBlock(receiverOf, chosen));
        }
        add(targets, "Receiver", o, receiverOf.description().block(), block, notes);
      } else {
        String block = configOf.description().block();
        if (configOf.receiverBlockHoldsConfig()) {
          notes.add(
              o.ref()
                  + ": merged into the "
                  + block
                  + " blocks of the Receivers that use it (a v2beta2 "
                  + block
                  + " block takes no Config)");
          continue;
        }
        Map<String, Object> full = configBlock(configOf, o);
        Optional<Map<String, Object>> kept = configOf.configBlockOf(full);
        List<String> moved = movedFields(full, kept.orElse(Map.of()), "");
        if (!moved.isEmpty() && sharedAcrossOwners.contains(o.ref())) {
          notes.add(
              o.ref()
                  + ": written as it is, "
                  + String.join(", ", moved)
                  + " included, which nm4j reads but notification-manager does not: it is used by"
                  + " receivers of other owners ("
                  + usersOf(o.ref(), config.snapshot().destinations())
                  + "), whose blocks may name only their own owner's secrets; give each owner a"
                  + " config of its own to convert it to upstream's shape");
          kept = Optional.of(full);
        } else if (!moved.isEmpty()) {
          notes.add(
              o.ref()
                  + ": "
                  + String.join(", ", moved)
                  + " copied into the "
                  + block
                  + " block of each Receiver that uses it ("
                  + usersOf(o.ref(), config.snapshot().destinations())
                  + "), as a v2beta2 "
                  + block
                  + (kept.isPresent()
                      ? " Config holds only " + String.join(", ", fieldPaths(kept.get(), ""))
                      : " receiver names them itself; no Config written"));
        }
        if (kept.isPresent()) {
          add(targets, "Config", o, block, kept.get(), notes);
        }
      }
    }
    for (Destination d : config.snapshot().destinations()) {
      if (d.scope() == io.nm4j.spi.Scope.GLOBAL
          && d.config() != null
          && !d.provider().receiverBlockHoldsConfig()
          && byRef.get(d.config()) != null
          && d.provider()
              .configBlockOf(configBlock(d.provider(), byRef.get(d.config())))
              .isPresent()
          && !config
              .snapshot()
              .settings()
              .defaultConfigSelector()
              .matches(byRef.get(d.config()).metadata().labels())) {
        notes.add(
            d.receiver()
                + ": routes differently: it uses the admin's "
                + d.config()
                + ", and a global v2beta2 receiver selects only default Configs; label that"
                + " Config like the default config selector, with a priority label to order it");
      }
    }
    for (Target t : targets.values()) {
      Map<String, Object> tree = new LinkedHashMap<>();
      tree.put("apiVersion", V2BETA2);
      tree.put("kind", t.kind());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("name", t.name());
      if (!t.labels().isEmpty()) {
        meta.put("labels", new TreeMap<>(t.labels()));
      }
      tree.put("metadata", meta);
      tree.put("spec", t.spec());
      files.put(fileName(t.kind(), t.name()), tree);
    }
    return files;
  }

  /**
   * Adds a block to the object of its name: receivers (or configs) of one name and the same labels
   * share one object; with other labels the block gets an object of its own, {@code
   * <name>-<block>}.
   */
  private static void add(
      Map<String, Target> targets,
      String kind,
      ConfigObject o,
      String block,
      Map<String, Object> fields,
      List<String> notes) {
    String name = o.metadata().name();
    Map<String, String> labels = o.metadata().labels();
    Target t = targets.get(kind + "/" + name);
    if (t != null && (!t.labels().equals(labels) || t.spec().containsKey(block))) {
      String renamed = name + "-" + block;
      notes.add(
          o.ref()
              + ": written as "
              + kind
              + "/"
              + renamed
              + " ("
              + kind
              + "/"
              + name
              + " has other labels)");
      name = renamed;
      t = targets.get(kind + "/" + name);
    }
    if (t == null) {
      t = new Target(kind, name, labels, new TreeMap<>());
      targets.put(kind + "/" + name, t);
    }
    t.spec().put(block, fields);
  }

  /** A v1alpha1 config's spec with its secret references written as Credentials. */
  private static Map<String, Object> configBlock(ChannelProvider<?, ?> provider, ConfigObject o) {
    return credentials(o.spec(), secretPaths(provider.parseConfig(reader(o)).value()));
  }

  /**
   * Configs some receiver of another owner resolves to (a tenant's receiver using the admin's
   * default config): what such a config names cannot move into that receiver's block, where its
   * secret references would be another owner's.
   */
  private static Set<ObjectRef> sharedAcrossOwners(List<Destination> destinations) {
    Set<ObjectRef> shared = new java.util.HashSet<>();
    for (Destination d : destinations) {
      if (d.config() != null && !java.util.Objects.equals(d.tenant(), d.configTenant())) {
        shared.add(d.config());
      }
    }
    return shared;
  }

  /** The receivers that resolve to a config, for a note; "none" when none does. */
  private static String usersOf(ObjectRef config, List<Destination> destinations) {
    List<String> users = new ArrayList<>();
    for (Destination d : destinations) {
      if (config.equals(d.config())) {
        users.add(d.receiver().toString());
      }
    }
    return users.isEmpty() ? "none" : String.join(", ", users);
  }

  /** Paths of the leaves of {@code fields}, e.g. {@code conversation.appkey}. */
  private static List<String> fieldPaths(Map<?, ?> fields, String prefix) {
    List<String> paths = new ArrayList<>();
    fields.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> m && !isCredential(m)) {
            paths.addAll(fieldPaths(m, prefix + k + "."));
          } else {
            paths.add(prefix + k);
          }
        });
    return paths;
  }

  /** Paths present in {@code full} and absent from {@code kept}, the shortest that tells. */
  private static List<String> movedFields(Map<?, ?> full, Map<?, ?> kept, String prefix) {
    List<String> moved = new ArrayList<>();
    full.forEach(
        (k, v) -> {
          Object there = kept.get(k);
          if (there == null) {
            moved.add(prefix + k);
          } else if (v instanceof Map<?, ?> m && there instanceof Map<?, ?> n && !isCredential(m)) {
            moved.addAll(movedFields(m, n, prefix + k + "."));
          }
        });
    return moved;
  }

  private static boolean isCredential(Map<?, ?> m) {
    return m.containsKey("valueFrom") || m.containsKey("value");
  }

  private static SpecReader reader(ConfigObject o) {
    return SpecReader.of(o.spec(), o.metadata().namespace());
  }

  /** The secret references of a spec as paths below it, e.g. {@code [smartHost, password]}. */
  private static List<List<String>> secretPaths(@Nullable ChannelSpec spec) {
    List<List<String>> paths = new ArrayList<>();
    if (spec != null) {
      for (String path : spec.secretRefs().keySet()) {
        List<String> parts = List.of(path.split("\\."));
        paths.add(parts.subList(1, parts.size()));
      }
    }
    return paths;
  }

  /** The fields with each secret reference {@code {name, key}} written as a Credential. */
  private static Map<String, Object> credentials(
      Map<String, Object> fields, List<List<String>> secretPaths) {
    Map<String, Object> copy = deepCopy(fields);
    for (List<String> path : secretPaths) {
      Map<String, Object> parent = copy;
      for (String part : path.subList(0, path.size() - 1)) {
        if (!(parent.get(part) instanceof Map<?, ?>)) {
          parent = null;
          break;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> next = (Map<String, Object>) parent.get(part);
        parent = next;
      }
      String last = path.get(path.size() - 1);
      if (parent != null && parent.get(last) instanceof Map<?, ?> ref) {
        Map<String, Object> selector = new LinkedHashMap<>();
        selector.put("name", ref.get("name"));
        selector.put("key", ref.get("key"));
        parent.put(last, Map.of("valueFrom", Map.of("secretKeyRef", selector)));
      }
    }
    return copy;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deepCopy(Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> out.put(k, v instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : v));
    return out;
  }

  private static String fileName(String kind, String name) {
    return kind.toLowerCase(java.util.Locale.ROOT) + "-" + name + ".yaml";
  }
}
