package io.nm4j.core.internal.snapshot;

import io.nm4j.core.Settings;
import io.nm4j.core.internal.Owner;
import io.nm4j.spi.ChannelProvider;
import io.nm4j.spi.ChannelTemplates;
import io.nm4j.spi.CompiledTemplate;
import io.nm4j.spi.FieldError;
import io.nm4j.spi.LanguagePack;
import io.nm4j.spi.MessageSettings;
import io.nm4j.spi.MessageTemplates;
import io.nm4j.spi.ObjectRef;
import io.nm4j.spi.RenderOptions;
import io.nm4j.spi.SpecReader;
import io.nm4j.spi.TemplateCompilation;
import io.nm4j.spi.TemplateEngine;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateLimits;
import io.nm4j.spi.TemplateOutput;
import io.nm4j.spi.TemplateProblem;
import io.nm4j.spi.TemplateSlots;
import io.nm4j.spi.TemplateSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How each receiver of a snapshot renders: its {@link RenderOptions}, computed once per snapshot by
 * notification-manager's precedence, built-in &lt; the settings' {@code spec.template} &lt; the
 * channel kind's {@code spec.receivers.options.<block>} &lt; the receiver's own template fields.
 *
 * <p>A template set ({@code tmplText}) is a {@code ConfigMap}; a level may use only the sets its
 * owner owns (the settings and channel kinds the admin's, a receiver its owner's), so a tenant's
 * template reaches only the tenant's own receivers. In the chosen sets, the template named by
 * {@code template} (or the title field) replaces the body's (or title's) built-in template, and a
 * key named like a built-in template ({@code message}, {@code message.ftl}) replaces that one.
 *
 * <p>A template that does not compile is a problem of the receiver naming the template, line and
 * column; the receiver renders with the built-in template meanwhile, and each delivery's detail
 * says why. Compiled templates are shared by every receiver that uses them.
 */
public final class ReceiverTemplates {
  /** The fields every receiver may carry besides its channel's title field. */
  public static final Set<String> FIELDS =
      Set.of("template", "tmplText", "tmplType", "language", "timezone");

  private final @Nullable TemplateEngine engine;
  private final Settings settings;
  private final TemplateSets sets;
  private final LanguagePacks languages;
  private final SnapshotProblems problems;
  private final String namespace;
  private final @Nullable ObjectRef settingsRef;
  private final Map<ChannelProvider<?, ?>, MessageTemplates> kindLevels = new IdentityHashMap<>();

  /**
   * The channel kinds' templates this instance read, in the order read, with where their problems
   * lie among this instance's: what a helper's instance hands the build ({@link #adopt}).
   */
  private final List<KindLevelRead> kindLevelReads = new ArrayList<>();

  /** Whether the settings' templates of a channel kind reported problems when read. */
  private boolean kindLevelProblems;

  /**
   * Compiled templates by source, format and library, shared with helpers' instances ({@link
   * #forHelper}): each template is compiled once per build, and within a build an engine is never
   * asked to compile on two threads at once (its contract does not promise that it may), so every
   * use locks this map.
   */
  private final Map<String, CompiledTemplate> compiled;

  /**
   * The render options of receivers that carry no template field of their own, by channel and path:
   * theirs follow from the settings alone, so one computation serves every such receiver. Only
   * options whose computation reported nothing are kept, so a receiver whose options come with a
   * problem (a missing template, a language without a pack) still reports it as its own. By
   * provider, then path: a key of both would be made for each receiver looked up.
   */
  private final Map<ChannelProvider<?, ?>, Map<String, RenderOptions>> shared = new HashMap<>();

  public ReceiverTemplates(
      @Nullable TemplateEngine engine,
      Settings settings,
      TemplateSets sets,
      LanguagePacks languages,
      String namespace,
      @Nullable ObjectRef settingsRef,
      SnapshotProblems problems) {
    this.engine = engine;
    this.settings = settings;
    this.sets = sets;
    this.languages = languages;
    this.namespace = namespace;
    this.settingsRef = settingsRef;
    this.problems = problems;
    this.compiled = new HashMap<>();
  }

  /**
   * {@code of}'s inputs and compiled templates, with nothing read yet, reporting into {@code
   * found}.
   */
  private ReceiverTemplates(ReceiverTemplates of, SnapshotProblems found) {
    this.engine = of.engine;
    this.settings = of.settings;
    this.sets = of.sets;
    this.languages = of.languages;
    this.namespace = of.namespace;
    this.settingsRef = of.settingsRef;
    this.problems = found;
    this.compiled = of.compiled;
  }

  /**
   * The channel kind's templates one instance read, and where the problems reading them reported
   * lie among that instance's problems: {@code [problemsFrom, problemsTo)}.
   */
  public record KindLevelRead(
      ChannelProvider<?, ?> provider,
      MessageTemplates templates,
      int problemsFrom,
      int problemsTo,
      boolean reportedProblems) {}

  /**
   * An instance for a helper thread resolving receivers beside the build: it reads the same
   * settings and template sets and shares the compiled templates, and keeps the rest (the kinds'
   * templates it read, the shared options it computed) apart, reporting into {@code found}. The
   * build {@link #adopt}s what it read in the order one thread would have read it.
   */
  public ReceiverTemplates forHelper(SnapshotProblems found) {
    return new ReceiverTemplates(this, found);
  }

  /**
   * How many kinds' templates this instance has read: where {@link #kindLevelReadsSince} counts.
   */
  public int kindLevelReadCount() {
    return kindLevelReads.size();
  }

  /** The kinds' templates read since {@code count} were. */
  public List<KindLevelRead> kindLevelReadsSince(int count) {
    return count == kindLevelReads.size()
        ? List.of()
        : List.copyOf(kindLevelReads.subList(count, kindLevelReads.size()));
  }

  /**
   * Takes a kind's templates a helper's instance read; whether this instance had not read them yet,
   * so that the problems reading them reported are to be reported here now.
   */
  public boolean adopt(KindLevelRead read) {
    if (kindLevels.putIfAbsent(read.provider(), read.templates()) != null) {
      return false;
    }
    kindLevelProblems |= read.reportedProblems();
    return true;
  }

  /**
   * Takes the options shared by receivers without template fields that a helper's instance
   * computed, those this instance has not computed itself: they are what it would have computed.
   */
  public void adoptShared(ReceiverTemplates helper) {
    helper.shared.forEach(
        (provider, byPath) ->
            byPath.forEach(shared.computeIfAbsent(provider, p -> new HashMap<>())::putIfAbsent));
  }

  /**
   * The render options of one receiver.
   *
   * @param receiver the receiver, where its problems are reported
   * @param path where its template fields are ({@code spec}, or {@code spec.email} for a v2beta2
   *     block)
   * @param provider its channel's provider
   * @param tenant its tenant; {@code null} for a global receiver
   * @param fields its fields (the template fields among them are read)
   */
  public RenderOptions of(
      ObjectRef receiver,
      String path,
      ChannelProvider<?, ?> provider,
      @Nullable String tenant,
      Map<String, Object> fields) {
    TemplateSlots slots = provider.templateSlots();
    if (hasTemplateFields(fields, slots)) {
      return compute(receiver, path, provider, slots, tenant, fields);
    }
    RenderOptions known = sharedOptions(provider, path);
    if (known != null) {
      return known;
    }
    int mark = problems.mark();
    RenderOptions options = compute(receiver, path, provider, slots, tenant, fields);
    if (problems.mark() == mark) {
      shared.computeIfAbsent(provider, p -> new HashMap<>()).put(path, options);
    }
    return options;
  }

  /**
   * Whether {@link #of} gives a receiver with these {@code fields} options already computed, with
   * nothing to read or report: it has no template field of its own, and options for its channel and
   * path were computed without problems. A change applied in place resolves a receiver with these
   * templates only then, so it neither adds to them nor reports through them.
   */
  public boolean rendersShared(
      ChannelProvider<?, ?> provider, String path, Map<String, Object> fields) {
    return !hasTemplateFields(fields, provider.templateSlots())
        && sharedOptions(provider, path) != null;
  }

  private @Nullable RenderOptions sharedOptions(ChannelProvider<?, ?> provider, String path) {
    Map<String, RenderOptions> byPath = shared.get(provider);
    return byPath == null ? null : byPath.get(path);
  }

  /**
   * Whether reading the settings' templates of a channel kind ({@link #readKindLevel}) reported
   * problems: they are reported where the first receiver of the kind is resolved.
   */
  public boolean kindLevelReportedProblems() {
    return kindLevelProblems;
  }

  private static boolean hasTemplateFields(
      Map<String, Object> fields, @Nullable TemplateSlots slots) {
    if (fields.isEmpty()) {
      return false;
    }
    for (String field : FIELDS) {
      if (fields.containsKey(field)) {
        return true;
      }
    }
    return slots != null && slots.titleField() != null && fields.containsKey(slots.titleField());
  }

  private RenderOptions compute(
      ObjectRef receiver,
      String path,
      ChannelProvider<?, ?> provider,
      @Nullable TemplateSlots slots,
      @Nullable String tenant,
      Map<String, Object> fields) {
    if (slots == null) {
      for (String field : FIELDS) {
        if (fields.containsKey(field)) {
          problems.notice(
              receiver,
              path + "." + field,
              "channel " + provider.name() + " renders from no templates; ignored");
        }
      }
      return withSettings(settings.templates(), receiver, path);
    }
    SpecReader reader = SpecReader.at(fields, path, namespace);
    MessageTemplates own = MessageTemplates.read(reader, slots.titleField(), slots.types());
    report(receiver, reader.errors());
    MessageTemplates kind = kindLevel(provider, slots);
    MessageTemplates effective = own.over(kind).over(settings.templates());
    Owner owner = Owner.of(tenant);
    List<Level> levels = new ArrayList<>();
    addLevel(levels, own, owner, receiver, path);
    if (settingsRef != null) {
      addLevel(
          levels,
          kind,
          Owner.ADMIN,
          settingsRef,
          "spec.receivers.options." + provider.description().block());
      addLevel(levels, settings.templates(), Owner.ADMIN, settingsRef, "spec.template");
    }
    Map<String, CompiledTemplate> templates = new LinkedHashMap<>();
    String body = slots.bodyFor(effective.type());
    for (Map.Entry<String, TemplateFormat> slot : slots.formats().entrySet()) {
      String builtIn = slot.getKey();
      String named = null;
      String namingField = "template";
      if (builtIn.equals(body)) {
        named = effective.template();
      } else if (builtIn.equals(slots.title())) {
        named = effective.titleTemplate();
        namingField = slots.titleField();
      }
      // A template found by the built-in's name comes from tmplText, not from a naming field.
      String field = path + "." + (named != null ? namingField : "tmplText");
      CompiledTemplate custom = find(receiver, field, levels, builtIn, named, slot.getValue());
      if (custom != null) {
        templates.put(builtIn, custom);
      }
    }
    RenderOptions base = withSettings(effective, receiver, path);
    return new RenderOptions(base.settings(), templates, effective.type());
  }

  /** A level's template set, if it names one its owner may use. */
  private record Level(TemplateSets.TemplateSet set, String setName) {}

  private void addLevel(
      List<Level> levels, MessageTemplates level, Owner owner, ObjectRef object, String path) {
    MessageTemplates.TemplateText text = level.tmplText();
    if (text == null) {
      return;
    }
    String field = path + ".tmplText";
    TemplateSets.TemplateSet set = sets.get(text.name());
    if (set == null) {
      problems.error(
          object,
          field,
          "there is no " + TemplateSets.KIND + " \"" + text.name() + "\"; built-in templates used");
      return;
    }
    if (!set.owner().equals(owner)) {
      problems.error(
          object,
          field,
          TemplateSets.KIND
              + "/"
              + text.name()
              + " belongs to "
              + set.owner().describe()
              + ", not to "
              + owner.describe()
              + "; not used");
      return;
    }
    if (text.key() == null) {
      levels.add(new Level(set, text.name()));
      return;
    }
    TemplateSource only = set.templates().get(text.key());
    if (only == null) {
      problems.error(
          object,
          field + ".key",
          TemplateSets.KIND + "/" + text.name() + " has no key \"" + text.key() + "\"");
      return;
    }
    levels.add(
        new Level(
            new TemplateSets.TemplateSet(set.owner(), Map.of(text.key(), only)), text.name()));
  }

  /**
   * The custom template replacing {@code builtIn}: the one {@code named} when a level named one,
   * else a key named after the built-in one; looked up in the levels' sets, most specific first.
   */
  private @Nullable CompiledTemplate find(
      ObjectRef receiver,
      String field,
      List<Level> levels,
      String builtIn,
      @Nullable String named,
      TemplateFormat format) {
    List<String> keys = named != null ? List.of(named) : List.of(builtIn, builtIn + ".ftl");
    for (Level level : levels) {
      for (String key : keys) {
        TemplateSource source = level.set().templates().get(key);
        if (source != null) {
          return compile(receiver, field, level, source, format);
        }
      }
    }
    if (named != null) {
      problems.error(
          receiver,
          field,
          "template \""
              + named
              + "\" is in none of its template sets"
              + (levels.isEmpty() ? " (it names no tmplText)" : "")
              + "; the built-in "
              + builtIn
              + " template is used");
    }
    return null;
  }

  private CompiledTemplate compile(
      ObjectRef receiver, String field, Level level, TemplateSource source, TemplateFormat format) {
    if (engine == null) {
      TemplateProblem problem =
          TemplateProblem.of(source.name(), "no template engine on the class path");
      problems.error(receiver, field, problem + "; the built-in template is used");
      return new FailedTemplate(problem, format);
    }
    // The library is part of what is compiled: a template named with its key is compiled alone,
    // named by its set with every sibling, which a broken one fails. A set of one is the same both
    // ways.
    boolean withSiblings = level.set().templates().size() > 1;
    String cacheKey = source.name() + "\n" + format + (withSiblings ? "\nwith its set" : "");
    CompiledTemplate done;
    synchronized (compiled) {
      done = compiled.get(cacheKey);
      if (done == null) {
        List<TemplateSource> library = new ArrayList<>();
        library.add(ChannelTemplates.library());
        level.set().templates().values().stream().filter(t -> t != source).forEach(library::add);
        TemplateCompilation result = engine.compile(source, library, format);
        done =
            result instanceof TemplateCompilation.Compiled c
                ? c.template()
                : new FailedTemplate(
                    ((TemplateCompilation.Invalid) result).problems().get(0), format);
        compiled.put(cacheKey, done);
      }
    }
    if (done instanceof FailedTemplate failed) {
      problems.error(receiver, field, failed.problem + "; the built-in template is used meanwhile");
    }
    return done;
  }

  /**
   * Reads the templates the settings give {@code provider}'s kind ({@code
   * spec.receivers.options.<block>}) if not read yet, reporting their problems as the settings'.
   */
  public void readKindLevel(ChannelProvider<?, ?> provider) {
    TemplateSlots slots = provider.templateSlots();
    if (slots != null) {
      kindLevel(provider, slots);
    }
  }

  private MessageTemplates kindLevel(ChannelProvider<?, ?> provider, TemplateSlots slots) {
    // Looked up first: computeIfAbsent's capturing lambda would be made for every receiver.
    MessageTemplates known = kindLevels.get(provider);
    if (known != null) {
      return known;
    }
    return kindLevels.computeIfAbsent(
        provider,
        p -> {
          Object block = settings.options().get(p.description().block());
          if (!(block instanceof Map<?, ?> map) || settingsRef == null) {
            int at = problems.mark();
            kindLevelReads.add(new KindLevelRead(p, MessageTemplates.NONE, at, at, false));
            return MessageTemplates.NONE;
          }
          @SuppressWarnings("unchecked")
          Map<String, Object> fields = (Map<String, Object>) map;
          SpecReader reader =
              SpecReader.at(fields, "spec.receivers.options." + p.description().block(), namespace);
          MessageTemplates read = MessageTemplates.read(reader, slots.titleField(), slots.types());
          boolean reported = !reader.errors().isEmpty();
          kindLevelProblems |= reported;
          int from = problems.mark();
          report(settingsRef, reader.errors());
          kindLevelReads.add(new KindLevelRead(p, read, from, problems.mark(), reported));
          return read;
        });
  }

  private RenderOptions withSettings(MessageTemplates chosen, ObjectRef receiver, String path) {
    LanguagePack language = LanguagePack.ENGLISH;
    if (chosen.language() != null) {
      language = languages.find(chosen.language()).orElse(null);
      if (language == null) {
        problems.notice(
            receiver,
            path + ".language",
            "no language pack \""
                + chosen.language()
                + "\" (there are "
                + String.join(", ", languages.languages())
                + "); English is used");
        language = LanguagePack.ENGLISH;
      }
    }
    MessageSettings message =
        new MessageSettings(
            language, chosen.timezone() == null ? ZoneOffset.UTC : chosen.timezone(), List.of());
    return new RenderOptions(message, Map.of(), chosen.type());
  }

  private void report(ObjectRef object, List<FieldError> errors) {
    for (FieldError e : errors) {
      problems.error(object, e.field(), e.message());
    }
  }

  /**
   * A template that did not compile: every render fails with its problem, so the channel renders
   * the built-in template and the delivery's detail says why.
   */
  private static final class FailedTemplate implements CompiledTemplate {
    private final TemplateProblem problem;
    private final TemplateFormat format;

    FailedTemplate(TemplateProblem problem, TemplateFormat format) {
      this.problem = problem;
      this.format = format;
    }

    @Override
    public String name() {
      return problem.template();
    }

    @Override
    public TemplateFormat format() {
      return format;
    }

    @Override
    public TemplateOutput render(Map<String, ?> model, TemplateLimits limits) {
      return new TemplateOutput.Failed(problem);
    }

    @Override
    public String toString() {
      return "FailedTemplate[" + problem + "]";
    }
  }
}
