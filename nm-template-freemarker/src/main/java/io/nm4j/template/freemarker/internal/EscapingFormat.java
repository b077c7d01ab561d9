package io.nm4j.template.freemarker.internal;

import freemarker.core.CommonMarkupOutputFormat;
import freemarker.core.CommonTemplateMarkupOutputModel;
import java.io.IOException;
import java.io.Writer;
import java.util.function.UnaryOperator;

/**
 * A FreeMarker output format whose auto-escaping is one of nm4j's escapers: what a template prints
 * with {@code ${...}} is escaped, what it writes literally is not.
 */
public final class EscapingFormat extends CommonMarkupOutputFormat<EscapingFormat.Markup> {
  private final String name;
  private final String mimeType;
  private final UnaryOperator<String> escaper;

  EscapingFormat(String name, String mimeType, UnaryOperator<String> escaper) {
    this.name = name;
    this.mimeType = mimeType;
    this.escaper = escaper;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getMimeType() {
    return mimeType;
  }

  @Override
  public void output(String textToEsc, Writer out) throws IOException {
    out.write(escaper.apply(textToEsc));
  }

  @Override
  public String escapePlainText(String plainTextContent) {
    return escaper.apply(plainTextContent);
  }

  @Override
  public boolean isLegacyBuiltInBypassed(String builtInName) {
    return false;
  }

  @Override
  protected Markup newTemplateMarkupOutputModel(String plainTextContent, String markupContent) {
    return new Markup(plainTextContent, markupContent, this);
  }

  /** A piece of output of this format, escaped or not yet. */
  public static final class Markup extends CommonTemplateMarkupOutputModel<Markup> {
    private final EscapingFormat format;

    Markup(String plainTextContent, String markupContent, EscapingFormat format) {
      super(plainTextContent, markupContent);
      this.format = format;
    }

    @Override
    public EscapingFormat getOutputFormat() {
      return format;
    }
  }
}
