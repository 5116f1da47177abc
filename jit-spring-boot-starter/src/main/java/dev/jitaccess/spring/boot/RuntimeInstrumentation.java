package dev.jitaccess.spring.boot;

import dev.jitaccess.core.JitAccess;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Wraps the runtime the starter builds before it becomes the {@link JitAccess} bean: the timed
 * decorator when metrics are configured; none otherwise, so the application then calls the runtime
 * itself. An application's own {@code JitAccess} bean is never wrapped.
 */
@FunctionalInterface
interface RuntimeInstrumentation {
  /** The runtime the application gets. */
  JitAccess instrument(JitAccess runtime);

  /** {@code runtime}, wrapped by the instrumentation bean if there is one. */
  static JitAccess apply(JitAccess runtime, ObjectProvider<RuntimeInstrumentation> instrumentation) {
    RuntimeInstrumentation i = instrumentation.getIfUnique();
    return i == null ? runtime : i.instrument(runtime);
  }
}
