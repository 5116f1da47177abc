package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantChangeListener;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a runtime does with a change another runtime made to a shared store: arms the expiry timer
 * of an ACTIVE grant (inserted or renewed there), so that it is ended here if its minting runtime
 * is gone; and for a grant that ended there, tells this runtime's listeners and ends its
 * descendants that are still ACTIVE (the other runtime may have stopped mid-cascade).
 */
final class ChangesElsewhere implements GrantChangeListener {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);

  private final Expirer expirer;
  private final Reporter reporter;
  private final Cascade cascade;
  private final BooleanSupplier closed;

  ChangesElsewhere(Expirer expirer, Reporter reporter, Cascade cascade, BooleanSupplier closed) {
    this.expirer = expirer;
    this.reporter = reporter;
    this.cascade = cascade;
    this.closed = closed;
  }

  @Override
  public void changed(Grant grant) {
    if (closed.getAsBoolean()) {
      return;
    }
    try {
      if (grant.isActive()) {
        expirer.schedule(grant.id(), grant.expiresAt());
      } else {
        reporter.endedElsewhere(grant);
        cascade.afterEndedElsewhere(grant);
      }
    } catch (Throwable e) { // an Error too: the follower must go on with the next change
      LOG.error("Handling a change of grant {} made by another runtime failed", grant.reference(),
          e);
    }
  }
}
