package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A listener called on an executor of its own: its failures and slowness stay there. */
final class ExecutorListener implements RevocationListener {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);

  private final RevocationListener listener;
  private final Executor executor;

  ExecutorListener(RevocationListener listener, Executor executor) {
    this.listener = listener;
    this.executor = executor;
  }

  @Override
  public void onRevocation(Grant grant, RevocationReason reason) {
    try {
      executor.execute(() -> {
        try {
          listener.onRevocation(grant, reason);
        } catch (Throwable e) { // an Error too: the executor's thread goes on
          LOG.error("RevocationListener {} failed for grant {}; the revocation stands",
              listener, grant.reference(), e);
        }
      });
    } catch (RuntimeException rejected) {
      LOG.error("RevocationListener {} was not told of grant {}: its executor refused the call",
          listener, grant.reference(), rejected);
    }
  }

  @Override
  public String toString() {
    return listener + " on " + executor;
  }
}
