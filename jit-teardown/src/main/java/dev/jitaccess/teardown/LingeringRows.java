package dev.jitaccess.teardown;

import dev.jitaccess.governance.spi.LingeringAccess;
import dev.jitaccess.governance.spi.LingeringSource;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The teardown ledger's lingering entries as an exposure report's {@link LingeringSource}. */
final class LingeringRows implements LingeringSource {
  private final TeardownLedger ledger;
  private final Duration deadline;

  LingeringRows(TeardownLedger ledger, Duration deadline) {
    this.ledger = ledger;
    this.deadline = deadline;
  }

  @Override
  public List<LingeringAccess> lingering(Instant now, int limit) {
    List<LingeringAccess> rows = new ArrayList<>();
    for (TeardownEntry e : ledger.lingering(now.minus(deadline), limit)) {
      rows.add(new LingeringAccess(e.grantReference(), e.subject(), e.owner(), e.grant().task(),
          e.grant().tier(), e.downstream(), e.state().name(), e.endedAt(), e.attempts(),
          e.cause()));
    }
    return rows;
  }

  @Override
  public String toString() {
    return "LingeringRows[deadline=" + deadline + ", ledger=" + ledger + "]";
  }
}
