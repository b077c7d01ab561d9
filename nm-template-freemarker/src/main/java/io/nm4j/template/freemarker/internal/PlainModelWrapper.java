package io.nm4j.template.freemarker.internal;

import freemarker.template.ObjectWrapper;
import freemarker.template.SimpleHash;
import freemarker.template.SimpleNumber;
import freemarker.template.SimpleScalar;
import freemarker.template.SimpleSequence;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the model for templates and nothing else: maps with string keys, lists, strings, numbers
 * and booleans. Any other object is refused, so no template ever reaches a Java method or class
 * through the model (FreeMarker's default wrapper would expose public methods of beans).
 */
public final class PlainModelWrapper implements ObjectWrapper {
  public static final PlainModelWrapper INSTANCE = new PlainModelWrapper();

  private PlainModelWrapper() {}

  @Override
  public @Nullable TemplateModel wrap(@Nullable Object obj) throws TemplateModelException {
    if (obj == null) {
      return null;
    }
    if (obj instanceof TemplateModel model) {
      return model;
    }
    if (obj instanceof String s) {
      return new SimpleScalar(s);
    }
    if (obj instanceof Number n) {
      return new SimpleNumber(n);
    }
    if (obj instanceof Boolean b) {
      return b ? TemplateBooleanModel.TRUE : TemplateBooleanModel.FALSE;
    }
    if (obj instanceof Map<?, ?> map) {
      for (Object key : map.keySet()) {
        if (!(key instanceof String)) {
          throw new TemplateModelException("the model's maps have string keys only");
        }
      }
      return new SimpleHash(map, this);
    }
    if (obj instanceof Collection<?> list) {
      return new SimpleSequence(list, this);
    }
    throw new TemplateModelException(
        "the model holds only maps, lists, strings, numbers and booleans");
  }
}
