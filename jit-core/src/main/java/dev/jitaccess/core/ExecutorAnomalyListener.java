package dev.jitaccess.core;

import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An anomaly listener called on an executor of its own: its failures and slowness stay there. */
final class ExecutorAnomalyListener implements AnomalyListener {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);

  private final AnomalyListener listener;
  private final Executor executor;

  ExecutorAnomalyListener(AnomalyListener listener, Executor executor) {
    this.listener = listener;
    this.executor = executor;
  }

  @Override
  public void onAnomaly(AnomalyReport report) {
    try {
      executor.execute(() -> {
        try {
          listener.onAnomaly(report);
        } catch (Throwable e) { // an Error too: the executor's thread goes on
          LOG.error("AnomalyListener {} failed for grant {}; the anomaly stands", listener,
              report.grant().reference(), Anomalies.Redaction.of(e, report.grant()));
        }
      });
    } catch (RuntimeException rejected) {
      LOG.error("AnomalyListener {} was not told of the anomaly on grant {}: its executor refused "
          + "the call", listener, report.grant().reference(), rejected);
    }
  }

  @Override
  public String toString() {
    return listener + " on " + executor;
  }
}
