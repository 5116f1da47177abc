package dev.jitaccess.spring.boot;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a listener on a thread of its own ({@code jit-teardown-listener}), in the order grants
 * ended, so that a remote ledger's insert never runs on the revoking thread. Stopped by close().
 */
final class ExecutorRevocationListener implements RevocationListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorRevocationListener.class);

  private final RevocationListener listener;
  private final ExecutorService executor;

  ExecutorRevocationListener(RevocationListener listener) {
    this.listener = listener;
    this.executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "jit-teardown-listener");
      thread.setDaemon(true);
      return thread;
    });
  }

  @Override
  public void onRevocation(Grant grant, RevocationReason reason) {
    try {
      executor.execute(() -> {
        try {
          listener.onRevocation(grant, reason);
        } catch (RuntimeException e) { // the thread goes on with the next grant
          LOG.error("teardown listener failed for grant {}: {}", grant.reference(),
              e.getClass().getName());
        }
      });
    } catch (RejectedExecutionException e) {
      LOG.error("teardown of grant {} not recorded: the listener's executor is stopped",
          grant.reference());
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
