package dev.jitaccess.console;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Renders the console's pages with a Thymeleaf engine of its own, reading only the console's
 * templates ({@code META-INF/jit-console/templates/} on this module's class loader), so the
 * application's view resolution and templates are never touched. Templates write every value
 * with {@code th:text} or attribute expressions, which escape it. Thread-safe.
 */
final class ConsolePages {
  static final String TEMPLATES = "META-INF/jit-console/templates/";

  private final TemplateEngine engine = new TemplateEngine();

  ConsolePages() {
    ClassLoaderTemplateResolver resolver =
        new ClassLoaderTemplateResolver(ConsolePages.class.getClassLoader());
    resolver.setPrefix(TEMPLATES);
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding(StandardCharsets.UTF_8.name());
    resolver.setCacheable(true);
    resolver.setCheckExistence(true);
    engine.setTemplateResolver(resolver);
  }

  String render(String template, Map<String, Object> variables) {
    Context context = new Context(Locale.ROOT);
    context.setVariables(variables);
    return engine.process(template, context);
  }
}
