package dev.jitaccess.spring.boot;

import dev.jitaccess.spring.boot.properties.RouteProperties;
import java.util.List;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code jit.web.routes} or {@code jit.web.guard} has at least one entry. */
final class RoutesConfigured implements Condition {
  RoutesConfigured() {}

  @Override
  public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Binder binder = Binder.get(context.getEnvironment());
    return !binder.bind("jit.web.routes", Bindable.listOf(RouteProperties.class))
        .orElse(List.of()).isEmpty()
        || !binder.bind("jit.web.guard", Bindable.listOf(String.class)).orElse(List.of()).isEmpty();
  }
}
