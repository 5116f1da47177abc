package dev.jitaccess.spring.boot;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.core.JitAccessBuilder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * Registers the teardown's listener with the runtime: on the revoking thread, or, for a ledger
 * that is not in memory, on a single daemon thread of its own ({@code jit-teardown-listener}), in
 * the order grants ended, so that a remote ledger's insert never runs on the revoking thread.
 * That thread stops when the context closes.
 */
final class TeardownListenerCustomizer implements JitAccessBuilderCustomizer, AutoCloseable {
  private final RevocationListener listener;
  private final @Nullable ExecutorService executor;

  TeardownListenerCustomizer(RevocationListener listener, boolean threadOfItsOwn) {
    this.listener = listener;
    this.executor = threadOfItsOwn ? Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "jit-teardown-listener");
      thread.setDaemon(true);
      return thread;
    }) : null;
  }

  @Override
  public void customize(JitAccessBuilder builder) {
    if (executor == null) {
      builder.listener(listener);
    } else {
      builder.listener(listener, executor);
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdown();
    }
  }
}
