package io.nm4j.core.internal.v2beta2;

import io.nm4j.core.ChannelRegistry;
import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.core.internal.UnknownFields;
import io.nm4j.core.internal.snapshot.ParsedObject;
import io.nm4j.core.internal.snapshot.SnapshotProblems;
import io.nm4j.core.internal.snapshot.SpecParser;
import io.nm4j.spi.ChannelDescription;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ConfigObject;
import io.nm4j.spi.ConfigSpec;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.Parsed;
import io.nm4j.spi.Problem;
import io.nm4j.spi.ReceiverSpec;
import io.nm4j.spi.Schema;
import io.nm4j.spi.SpecReader;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The v2beta2 objects of a set, parsed and validated: each {@code Receiver} and {@code Config} as
 * one entry per channel block (parsed by the provider that owns the block), the {@code Router}s and
 * the {@code Silence}s. A v2beta2 receiver's channel is named {@code Receiver/<name>[<block>]}, its
 * config's {@code Config/<name>[<block>]}, so they never collide with a v1alpha1 kind's objects.
 */
public final class V2beta2Objects {
  public static final String RECEIVER = "Receiver";
  public static final String CONFIG = "Config";
  public static final String ROUTER = "Router";
  public static final String SILENCE = "Silence";

  /** The v2beta2 kinds nm4j reads besides the settings. */
  public static final Set<String> KINDS = Set.of(RECEIVER, CONFIG, ROUTER, SILENCE);

  /** What a priority label that is absent or not a number counts as, as upstream. */
  static final int NO_PRIORITY = Integer.MAX_VALUE - 1;

  /** The fields every receiver block has, read by the core rather than the block's provider. */
  private static final Set<String> COMMON_BLOCK_FIELDS =
      Set.of(
          "enabled",
          "alertSelector",
          "template",
          "tmplText",
          "titleTemplate",
          "subjectTemplate",
          "tmplType");

  /**
   * notification-manager's channel blocks: known names, even where no channel provides them. Kept
   * in a resource, as the core's code names no channel.
   */
  static final Set<String> UPSTREAM_BLOCKS = upstreamBlocks();

  /** The template fields of a receiver block, kept as given for the template stage. */
  private static final Set<String> TEMPLATE_FIELDS =
      Set.of("template", "tmplText", "titleTemplate", "subjectTemplate", "tmplType");

  /**
   * One channel block of a {@code Receiver}.
   *
   * @param receiver the block as a receiver: ref {@code Receiver/<name>[<block>]}, the provider's
   *     typed spec
   * @param ownConfig the config a block holds itself (a webhook's destination); {@code null} when
   *     its config comes from a {@code Config}
   * @param object {@code Receiver/<name>}, the object that decides its filters
   * @param enabled the block's {@code enabled} (absent: true)
   * @param alertSelector the block's {@code alertSelector}; {@code null} keeps every alert
   * @param templates the block's template fields as given ({@code template}, {@code tmplText},
   *     {@code titleTemplate}, {@code subjectTemplate}, {@code tmplType})
   */
  public record ReceiverBlock(
      ParsedObject<ReceiverSpec> receiver,
      @Nullable ParsedObject<ConfigSpec> ownConfig,
      ObjectRef object,
      boolean enabled,
      @Nullable AlertMatcher alertSelector,
      Map<String, Object> templates) {}

  /**
   * One channel block of a {@code Config}.
   *
   * @param config ref {@code Config/<name>[<block>]} with the provider's typed spec
   * @param priority its {@code priority} label: the lowest wins among candidates
   */
  public record ConfigBlock(ParsedObject<ConfigSpec> config, int priority) {}

  /**
   * A {@code Router}.
   *
   * @param names receivers by {@code metadata.name}
   * @param regexName receivers whose name holds a match of it
   * @param selector receivers whose labels it matches
   * @param types channel blocks the three above are limited to; empty means all
   * @param channels a tenant's receivers of some channels
   */
  public record RouterRule(
      ObjectRef ref,
      AlertMatcher alertSelector,
      List<String> names,
      @Nullable Pattern regexName,
      @Nullable AlertMatcher selector,
      List<String> types,
      List<TenantChannels> channels) {}

  /**
   * A router's {@code receivers.channels} entry: the receivers of {@code tenant} of {@code types}.
   */
  public record TenantChannels(String tenant, List<String> types) {}

  /**
   * A {@code Silence}.
   *
   * @param tenant the tenant whose receivers it mutes; {@code null} for a global silence
   */
  public record SilenceRule(
      ObjectRef ref,
      @Nullable String tenant,
      AlertMatcher matcher,
      @Nullable Instant startsAt,
      @Nullable CronSchedule schedule,
      @Nullable Duration duration) {

    /**
     * Whether it mutes at {@code now}: with a {@code schedule}, from each firing for {@code
     * duration} (always, without one); else from {@code startsAt} for {@code duration} (forever,
     * without one); with neither, always.
     */
    public boolean isActive(java.time.ZonedDateTime now) {
      if (schedule != null) {
        if (duration == null) {
          return true;
        }
        java.time.ZonedDateTime firing = schedule.lastFiringAtOrBefore(now);
        return firing != null && firing.toInstant().plus(duration).isAfter(now.toInstant());
      }
      if (startsAt != null) {
        if (now.toInstant().isBefore(startsAt)) {
          return false;
        }
        return duration == null || startsAt.plus(duration).isAfter(now.toInstant());
      }
      return true;
    }

    /**
     * The first instant after {@code now} at which a window of a {@code startsAt} or the current
     * window of a {@code schedule} starts or ends, or {@code null}; a new firing of a schedule lies
     * on a whole minute, which callers re-evaluate at anyway.
     */
    public @Nullable Instant nextChangeAfter(java.time.ZonedDateTime now) {
      Instant t = now.toInstant();
      if (schedule != null) {
        if (duration == null) {
          return null;
        }
        java.time.ZonedDateTime firing = schedule.lastFiringAtOrBefore(now);
        Instant end = firing == null ? null : firing.toInstant().plus(duration);
        return end != null && end.isAfter(t) ? end : null;
      }
      if (startsAt == null) {
        return null;
      }
      if (startsAt.isAfter(t)) {
        return startsAt;
      }
      Instant end = duration == null ? null : startsAt.plus(duration);
      return end != null && end.isAfter(t) ? end : null;
    }
  }

  private final List<ReceiverBlock> receivers = new ArrayList<>();
  private final List<ConfigBlock> configs = new ArrayList<>();
  private final List<RouterRule> routers = new ArrayList<>();
  private final List<SilenceRule> silences = new ArrayList<>();
  private final List<Reading> readings = new ArrayList<>();
  private final Map<String, Map<String, byte[]>> inlineSecrets = new LinkedHashMap<>();

  private final Settings settings;
  private final String namespace;
  private final SnapshotProblems problems;
  private final SpecParser parser;
  private final Map<String, ChannelProvider<?, ?>> byBlock = new LinkedHashMap<>();

  private V2beta2Objects(
      ChannelRegistry channels,
      Settings settings,
      String namespace,
      SpecParser parser,
      SnapshotProblems problems) {
    this.parser = parser;
    this.settings = settings;
    this.namespace = namespace;
    this.problems = problems;
    for (ChannelProvider<?, ?> p : channels.providers()) {
      byBlock.put(p.description().block(), p);
    }
  }

  /**
   * One v2beta2 object as read: the problems reading it found, in order, and the Router or Silence
   * it adds to routing, if any. A Router or Silence depends on nothing but itself and the settings,
   * so while those hold, its reading does too.
   */
  public record Reading(
      ConfigObject object,
      List<Problem> problems,
      @Nullable RouterRule router,
      @Nullable SilenceRule silence) {}

  /** Parses the v2beta2 {@code objects} of a set, reporting every problem. */
  public static V2beta2Objects read(
      List<ConfigObject> objects,
      ChannelRegistry channels,
      Settings settings,
      String namespace,
      SpecParser parser,
      SnapshotProblems problems) {
    V2beta2Objects read = new V2beta2Objects(channels, settings, namespace, parser, problems);
    objects.forEach(read::readOne);
    return read;
  }

  /**
   * The readings of a set's v2beta2 objects after a change of Routers and Silences alone, in the
   * set's order: each object {@code before} holds keeps its reading, the others (the changed
   * Routers and Silences) are read; {@code before} was read with the same settings.
   *
   * @param objects the set's v2beta2 objects, in its order
   * @param before the readings of the set before, by object (identity)
   */
  public static List<Reading> readAgain(
      List<ConfigObject> objects,
      Map<ConfigObject, Reading> before,
      ChannelRegistry channels,
      Settings settings,
      String namespace,
      Function<SnapshotProblems, SpecParser> parser) {
    SnapshotProblems problems = new SnapshotProblems();
    V2beta2Objects read =
        new V2beta2Objects(channels, settings, namespace, parser.apply(problems), problems);
    List<Reading> readings = new ArrayList<>(objects.size());
    for (ConfigObject o : objects) {
      Reading kept = before.get(o);
      if (kept != null) {
        readings.add(kept);
      } else {
        read.readOne(o);
        readings.add(read.readings.get(read.readings.size() - 1));
      }
    }
    return readings;
  }

  private void readOne(ConfigObject o) {
    int mark = problems.mark();
    int routersBefore = routers.size();
    int silencesBefore = silences.size();
    switch (o.kind()) {
      case RECEIVER -> receiver(o);
      case CONFIG -> config(o);
      case ROUTER -> router(o);
      default -> silence(o);
    }
    readings.add(
        new Reading(
            o,
            List.copyOf(problems.all().subList(mark, problems.mark())),
            routers.size() > routersBefore ? routers.get(routersBefore) : null,
            silences.size() > silencesBefore ? silences.get(silencesBefore) : null));
  }

  /** Each object as read, in the order given. */
  public List<Reading> readings() {
    return readings;
  }

  public List<ReceiverBlock> receivers() {
    return receivers;
  }

  public List<ConfigBlock> configs() {
    return configs;
  }

  public List<RouterRule> routers() {
    return routers;
  }

  public List<SilenceRule> silences() {
    return silences;
  }

  /** The snapshot-only secrets of inline credential values, all the admin's, by name. */
  public Map<String, Map<String, byte[]>> inlineSecrets() {
    return inlineSecrets;
  }

  private @Nullable Map<String, Object> spec(ConfigObject o) {
    return parser.specOf(o);
  }

  private void receiver(ConfigObject o) {
    Map<String, Object> spec = spec(o);
    if (spec == null) {
      return;
    }
    Owner owner = Owner.ofReceiver(o.metadata().labels(), settings);
    List<FieldError> errors = new ArrayList<>();
    List<ReceiverBlock> blocks = new ArrayList<>();
    for (Map.Entry<String, Object> e : spec.entrySet()) {
      Map<String, Object> raw = block(o, e, errors);
      if (raw == null) {
        continue;
      }
      ChannelProvider<?, ?> provider = byBlock.get(e.getKey());
      String path = "spec." + e.getKey();
      SpecReader common = SpecReader.at(raw, path, namespace);
      boolean enabled = common.bool("enabled", true);
      AlertMatcher alertSelector = AlertMatcher.read(common, "alertSelector", false);
      Map<String, Object> templates = new LinkedHashMap<>();
      Map<String, Object> rest = new LinkedHashMap<>();
      raw.forEach(
          (k, v) -> {
            if (TEMPLATE_FIELDS.contains(k)) {
              templates.put(k, v);
            } else if (!COMMON_BLOCK_FIELDS.contains(k)) {
              rest.put(k, v);
            }
          });
      errors.addAll(common.errors());
      Credentials.Translated translated = Credentials.translate(rest, path, o.ref().toString());
      if (!inline(o, owner, translated, errors)) {
        continue;
      }
      ObjectRef ref = new ObjectRef(RECEIVER, o.metadata().name() + "[" + e.getKey() + "]");
      List<FieldError> blockErrors = new ArrayList<>();
      ReceiverSpec receiverSpec =
          parse(
              provider,
              translated.block(),
              path,
              blockErrors,
              p -> p.parseReceiverBlock(SpecReader.at(translated.block(), path, namespace)),
              provider.receiverBlockHoldsConfig());
      ConfigSpec own = null;
      if (receiverSpec != null || provider.receiverBlockHoldsConfig()) {
        Optional<? extends Parsed<? extends ConfigSpec>> parsed =
            ownConfig(provider, SpecReader.at(translated.block(), path, namespace), path);
        if (parsed.isPresent()) {
          for (FieldError fe : parsed.get().errors()) {
            if (!blockErrors.contains(fe)) {
              blockErrors.add(fe);
            }
          }
          own = parsed.get().isValid() ? parsed.get().value() : null;
        }
      }
      if (own != null) {
        notices(o, path, own);
      }
      errors.addAll(blockErrors);
      if (receiverSpec != null && blockErrors.isEmpty()) {
        blocks.add(
            new ReceiverBlock(
                new ParsedObject<>(o, provider, receiverSpec, ref),
                own == null ? null : new ParsedObject<>(o, provider, own, ref),
                o.ref(),
                enabled,
                alertSelector,
                templates));
      }
    }
    if (spec.isEmpty()) {
      errors.add(new FieldError("spec", "names no channel; known blocks: " + knownBlocks()));
    }
    if (problems.report(o.ref(), errors)) {
      receivers.addAll(blocks);
    }
  }

  private void config(ConfigObject o) {
    Map<String, Object> spec = spec(o);
    if (spec == null) {
      return;
    }
    Owner owner = Owner.ofConfig(o.metadata().labels(), settings);
    List<FieldError> errors = new ArrayList<>();
    List<ConfigBlock> blocks = new ArrayList<>();
    int priority = priority(o.metadata().labels().get("priority"));
    for (Map.Entry<String, Object> e : spec.entrySet()) {
      Map<String, Object> raw = block(o, e, errors);
      if (raw == null) {
        continue;
      }
      ChannelProvider<?, ?> provider = byBlock.get(e.getKey());
      String path = "spec." + e.getKey();
      Map<String, Object> rest = new LinkedHashMap<>(raw);
      // Upstream's per-channel "labels" inside a Config spec are never read; selection uses the
      // object's own labels.
      rest.remove("labels");
      Credentials.Translated translated = Credentials.translate(rest, path, o.ref().toString());
      if (!inline(o, owner, translated, errors)) {
        continue;
      }
      ObjectRef ref = new ObjectRef(CONFIG, o.metadata().name() + "[" + e.getKey() + "]");
      List<FieldError> blockErrors = new ArrayList<>();
      ConfigSpec configSpec = parseConfig(provider, translated.block(), path, blockErrors);
      errors.addAll(blockErrors);
      if (configSpec != null && blockErrors.isEmpty()) {
        notices(o, path, configSpec);
        blocks.add(new ConfigBlock(new ParsedObject<>(o, provider, configSpec, ref), priority));
      }
    }
    if (problems.report(o.ref(), errors)) {
      configs.addAll(blocks);
    }
  }

  private static Set<String> upstreamBlocks() {
    try (java.io.InputStream in = V2beta2Objects.class.getResourceAsStream("upstream-blocks.txt")) {
      if (in == null) {
        throw new IllegalStateException("upstream-blocks.txt is missing from nm-core");
      }
      Set<String> blocks = new java.util.TreeSet<>();
      for (String line :
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          blocks.add(line.strip());
        }
      }
      return Set.copyOf(blocks);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int priority(@Nullable String label) {
    if (label == null) {
      return NO_PRIORITY;
    }
    try {
      return Integer.parseInt(label.strip());
    } catch (NumberFormatException e) {
      return NO_PRIORITY;
    }
  }

  /** A block's fields; {@code null} (reported when wrong) for an unknown block or a non-object. */
  private @Nullable Map<String, Object> block(
      ConfigObject o, Map.Entry<String, Object> e, List<FieldError> errors) {
    if (!byBlock.containsKey(e.getKey()) && UPSTREAM_BLOCKS.contains(e.getKey())) {
      problems.notice(
          o.ref(),
          "spec." + e.getKey(),
          "no channel for the block \""
              + e.getKey()
              + "\" is installed; this block is not used (installed: "
              + knownBlocks()
              + ")");
      return null;
    }
    if (!byBlock.containsKey(e.getKey())) {
      errors.add(
          new FieldError(
              "spec." + e.getKey(),
              "unknown channel block \"" + e.getKey() + "\"; known blocks: " + knownBlocks()));
      return null;
    }
    if (e.getValue() == null) {
      return null;
    }
    if (!(e.getValue() instanceof Map<?, ?> m)) {
      errors.add(new FieldError("spec." + e.getKey(), "must be an object"));
      return null;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    m.forEach((k, v) -> fields.put(String.valueOf(k), v));
    return fields;
  }

  /**
   * Keeps a block's inline credential values as the admin's snapshot-only secrets; a tenant's
   * object may not hold one (its value would be readable by whoever reads the object, and it could
   * not be owned), so its inline values are errors and the block is left out.
   */
  private boolean inline(
      ConfigObject o, Owner owner, Credentials.Translated translated, List<FieldError> errors) {
    if (translated.inlineFields().isEmpty()) {
      return true;
    }
    if (!owner.isAdmin()) {
      for (FieldError fe : translated.inlineFields()) {
        errors.add(
            new FieldError(
                fe.field(),
                "an inline credential value is allowed only in the admin's objects; a tenant"
                    + " names a Secret with valueFrom.secretKeyRef"));
      }
      return false;
    }
    inlineSecrets.putAll(translated.inlineSecrets());
    return true;
  }

  private @Nullable ReceiverSpec parse(
      ChannelProvider<?, ?> provider,
      Map<String, Object> block,
      String path,
      List<FieldError> errors,
      Function<ChannelProvider<?, ?>, Parsed<? extends ReceiverSpec>> parser,
      boolean alsoConfigFields) {
    ChannelDescription d = provider.description();
    List<FieldError> unknown = unknown(d.receiverBlockFields(), block, path);
    if (alsoConfigFields) {
      List<FieldError> unknownToConfig = unknown(d.configBlockFields(), block, path);
      unknown = unknown.stream().filter(unknownToConfig::contains).toList();
    }
    Parsed<? extends ReceiverSpec> parsed;
    try {
      parsed = parser.apply(provider);
    } catch (RuntimeException ex) {
      errors.add(new FieldError(path, "channel " + provider.name() + " failed to parse it: " + ex));
      return null;
    }
    errors.addAll(SpecParser.withUnknown(unknown, parsed.errors()));
    return parsed.isValid() ? parsed.value() : null;
  }

  /**
   * A block's notices ({@code spec.tls.rootCA}) at the block's path ({@code spec.email.tls...}).
   */
  private void notices(ConfigObject o, String path, ConfigSpec spec) {
    for (FieldError notice : spec.notices()) {
      String field = notice.field();
      problems.notice(
          o.ref(),
          field.equals("spec") || field.startsWith("spec.")
              ? path + field.substring("spec".length())
              : field,
          notice.message());
    }
  }

  /** The config a receiver block holds itself, when its provider says it needs no Config. */
  private static Optional<? extends Parsed<? extends ConfigSpec>> ownConfig(
      ChannelProvider<?, ?> provider, SpecReader block, String path) {
    try {
      return provider.receiverBlockConfig(block);
    } catch (RuntimeException ex) {
      return Optional.of(
          Parsed.invalid(
              List.of(
                  new FieldError(
                      path, "channel " + provider.name() + " failed to parse it: " + ex))));
    }
  }

  private @Nullable ConfigSpec parseConfig(
      ChannelProvider<?, ?> provider,
      Map<String, Object> block,
      String path,
      List<FieldError> errors) {
    List<FieldError> unknown = unknown(provider.description().configBlockFields(), block, path);
    Parsed<? extends ConfigSpec> parsed;
    try {
      parsed = provider.parseConfigBlock(SpecReader.at(block, path, namespace));
    } catch (RuntimeException ex) {
      errors.add(new FieldError(path, "channel " + provider.name() + " failed to parse it: " + ex));
      return null;
    }
    errors.addAll(SpecParser.withUnknown(unknown, parsed.errors()));
    return parsed.isValid() ? parsed.value() : null;
  }

  private static List<FieldError> unknown(
      @Nullable Schema schema, Map<String, Object> block, String path) {
    return schema == null ? List.of() : UnknownFields.of(schema, block, path);
  }

  private void router(ConfigObject o) {
    Map<String, Object> spec = spec(o);
    if (spec == null) {
      return;
    }
    SpecReader r = SpecReader.of(spec, namespace);
    unknownFields(r, Set.of("enabled", "alertSelector", "receivers"));
    boolean enabled = r.bool("enabled", true);
    AlertMatcher alertSelector = AlertMatcher.read(r, "alertSelector", true);
    SpecReader receiversSpec = r.requiredObject("receivers");
    List<String> names = List.of();
    Pattern regexName = null;
    AlertMatcher selector = null;
    List<String> types = List.of();
    List<TenantChannels> tenantChannels = new ArrayList<>();
    if (receiversSpec != null) {
      unknownFields(receiversSpec, Set.of("name", "regexName", "selector", "channels", "type"));
      names = receiversSpec.stringList("name");
      String regex = receiversSpec.string("regexName");
      if (regex != null && !regex.isEmpty()) {
        try {
          regexName = SafeRegex.compile(regex);
        } catch (IllegalArgumentException ex) {
          receiversSpec.error("regexName", ex.getMessage());
        }
      }
      selector = AlertMatcher.read(receiversSpec, "selector", false);
      types =
          receiversSpec.raw().get("type") instanceof List<?>
              ? receiversSpec.stringList("type")
              : optionalList(receiversSpec.string("type"));
      checkBlocks(receiversSpec, "type", types);
      Object channelsRaw = receiversSpec.raw().get("channels");
      if (channelsRaw instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          String at = "channels[" + i + "]";
          if (!(list.get(i) instanceof Map<?, ?>)) {
            receiversSpec.error(at, "must be an object {tenant, type}");
            continue;
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> entry = (Map<String, Object>) list.get(i);
          SpecReader c = SpecReader.at(entry, receiversSpec.path(at), namespace);
          String tenant = c.requiredString("tenant");
          List<String> entryTypes = c.stringList("type");
          checkBlocks(c, "type", entryTypes);
          c.errors().forEach(fe -> r.error(fe.field().substring("spec.".length()), fe.message()));
          tenantChannels.add(new TenantChannels(tenant, entryTypes));
        }
      } else if (channelsRaw != null) {
        receiversSpec.error("channels", "must be a list");
      }
      if (names.isEmpty()
          && regexName == null
          && selector == null
          && tenantChannels.isEmpty()
          && !receiversSpec.has("regexName")
          && !receiversSpec.has("selector")) {
        receiversSpec.error("", "names no receivers: set name, regexName, selector or channels");
      }
    }
    if (!problems.report(o.ref(), r.errors()) || alertSelector == null) {
      return;
    }
    if (!enabled) {
      problems.notice(o.ref(), "spec.enabled", "disabled: routes nothing");
      return;
    }
    routers.add(
        new RouterRule(o.ref(), alertSelector, names, regexName, selector, types, tenantChannels));
  }

  private static List<String> optionalList(@Nullable String value) {
    return value == null || value.isEmpty() ? List.of() : List.of(value);
  }

  private void checkBlocks(SpecReader r, String field, List<String> blocks) {
    for (String b : blocks) {
      if (!byBlock.containsKey(b)) {
        r.error(field, "unknown channel \"" + b + "\"; known: " + knownBlocks());
      }
    }
  }

  private void silence(ConfigObject o) {
    Map<String, Object> spec = spec(o);
    if (spec == null) {
      return;
    }
    SpecReader r = SpecReader.of(spec, namespace);
    unknownFields(r, Set.of("enabled", "matcher", "startsAt", "schedule", "duration"));
    boolean enabled = r.bool("enabled", true);
    AlertMatcher matcher = AlertMatcher.read(r, "matcher", true);
    Instant startsAt = null;
    String starts = r.string("startsAt");
    if (starts != null) {
      try {
        startsAt = OffsetDateTime.parse(starts).toInstant();
      } catch (DateTimeParseException ex) {
        r.error(
            "startsAt",
            "must be an RFC 3339 time such as 2026-01-02T22:00:00Z, was \"" + starts + "\"");
      }
    }
    CronSchedule schedule = null;
    String cron = r.string("schedule");
    if (cron != null && !cron.isBlank()) {
      try {
        schedule = CronSchedule.parse(cron);
      } catch (IllegalArgumentException ex) {
        r.error("schedule", ex.getMessage());
      }
    }
    Duration duration = r.duration("duration");
    Map<String, String> labels = o.metadata().labels();
    boolean global = settings.globalReceiverSelector().matches(labels);
    String tenant = global ? null : labels.get(settings.tenantKey());
    List<FieldError> errors = new ArrayList<>(r.errors());
    if (!global
        && (tenant == null
            || tenant.isEmpty()
            || !settings.tenantReceiverSelector().matches(labels))) {
      errors.add(
          new FieldError(
              "metadata.labels",
              "a silence is global (labels matching "
                  + settings.globalReceiverSelector()
                  + ") or a tenant's (labels matching "
                  + settings.tenantReceiverSelector()
                  + " and \""
                  + settings.tenantKey()
                  + "\" naming the tenant); this one is neither and never applies"));
    }
    if (!problems.report(o.ref(), errors) || matcher == null) {
      return;
    }
    if (!enabled) {
      problems.notice(o.ref(), "spec.enabled", "disabled: mutes nothing");
      return;
    }
    silences.add(
        new SilenceRule(o.ref(), global ? null : tenant, matcher, startsAt, schedule, duration));
  }

  private static void unknownFields(SpecReader r, Set<String> known) {
    Set<String> unknown = new LinkedHashSet<>(r.raw().keySet());
    unknown.removeAll(known);
    for (String f : unknown) {
      r.error(f, "unknown field; known: " + String.join(", ", new java.util.TreeSet<>(known)));
    }
  }

  private String knownBlocks() {
    return String.join(", ", byBlock.keySet());
  }
}
