package io.nm4j.template.freemarker.internal;

import freemarker.cache.StringTemplateLoader;
import freemarker.cache.StrongCacheStorage;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.TemplateExceptionHandler;
import io.nm4j.spi.TemplateFormat;
import io.nm4j.spi.TemplateSource;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * The FreeMarker configuration every template compiles in: one per template set, holding that set
 * only, so {@code #include} and {@code #import} reach nothing else.
 */
public final class Sandbox {
  private Sandbox() {}

  /**
   * A configuration for {@code sources} rendering into {@code format}: no class resolution for
   * {@code ?new}, no {@code ?api}, a model of plain values only, errors rethrown (never written
   * into the output) and never logged by FreeMarker itself.
   */
  public static Configuration configuration(List<TemplateSource> sources, TemplateFormat format) {
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    StringTemplateLoader loader = new StringTemplateLoader();
    for (TemplateSource source : sources) {
      loader.putTemplate(source.name(), source.text());
    }
    cfg.setTemplateLoader(loader);
    cfg.setCacheStorage(new StrongCacheStorage());
    cfg.setTemplateUpdateDelayMilliseconds(Long.MAX_VALUE);
    cfg.setLocalizedLookup(false);
    cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    cfg.setAPIBuiltinEnabled(false);
    cfg.setObjectWrapper(PlainModelWrapper.INSTANCE);
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setAttemptExceptionReporter((e, env) -> {});
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setRecognizeStandardFileExtensions(false);
    cfg.setOutputFormat(Escapers.outputFormat(format));
    cfg.setAutoEscapingPolicy(Configuration.ENABLE_IF_DEFAULT_AUTO_ESCAPING_POLICY);
    cfg.setLocale(Locale.ROOT);
    cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
    cfg.setNumberFormat("computer");
    cfg.setBooleanFormat("c");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setShowErrorTips(false);
    return cfg;
  }
}
