package dev.jitaccess.teardown;

import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A ledger that forwards every call to another, for tests that change one answer. */
class ForwardingLedger implements TeardownLedger {
  private final TeardownLedger inner;

  ForwardingLedger(TeardownLedger inner) {
    this.inner = inner;
  }

  @Override
  public boolean insert(TeardownEntry entry) {
    return inner.insert(entry);
  }

  @Override
  public @Nullable TeardownEntry get(String grantId, String downstream) {
    return inner.get(grantId, downstream);
  }

  @Override
  public boolean compareAndSet(TeardownEntry expected, TeardownEntry next) {
    return inner.compareAndSet(expected, next);
  }

  @Override
  public List<TeardownEntry> claimDue(String downstream, Instant now, String owner,
      Instant leaseUntil, int limit) {
    return inner.claimDue(downstream, now, owner, leaseUntil, limit);
  }

  @Override
  public List<TeardownEntry> entriesOf(String grantId) {
    return inner.entriesOf(grantId);
  }

  @Override
  public List<TeardownEntry> lingering(Instant endedBefore, int limit) {
    return inner.lingering(endedBefore, limit);
  }

  @Override
  public int deleteSettled(Instant updatedBefore, int limit) {
    return inner.deleteSettled(updatedBefore, limit);
  }
}
