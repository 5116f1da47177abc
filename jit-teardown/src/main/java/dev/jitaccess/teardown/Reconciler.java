package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.teardown.spi.EndedGrants;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciliation sweep: pages the grants that ended since a watermark ({@link EndedGrants})
 * and hands every one that lacks a ledger entry at some downstream to the teardown as if its
 * listener had heard it end (the ledger keeps the first insert per grant and downstream, so a
 * grant whose entries exist is left alone). Grants found complete are remembered until they fall
 * out of the look-back window, so each is read from the ledger once per window. One sweep at a
 * time.
 */
final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);
  private static final int PAGE = 500;

  private final EndedGrants source;
  private final TeardownLedger ledger;
  private final List<String> downstreams;
  private final Consumer<Grant> ended;
  /** Grants whose entries were all found, by id, with their end; pruned by the look-back. */
  private final Map<String, Instant> complete = new HashMap<>();

  Reconciler(EndedGrants source, TeardownLedger ledger, List<String> downstreams,
      Consumer<Grant> ended) {
    this.source = source;
    this.ledger = ledger;
    this.downstreams = List.copyOf(downstreams);
    this.ended = ended;
  }

  /**
   * One sweep over the grants that ended at or after {@code since}.
   *
   * @return how many grants lacked an entry and were handed over
   */
  synchronized int sweep(Instant since) {
    complete.values().removeIf(at -> at.isBefore(since));
    int handed = 0;
    Grant after = null;
    while (true) {
      List<Grant> page = source.endedSince(since, after, PAGE);
      if (page == null || page.isEmpty()) {
        return handed;
      }
      for (Grant g : page) {
        if (g.isActive() || g.endedAt() == null || complete.containsKey(g.id())) {
          continue;
        }
        if (missesAnEntry(g)) {
          ended.accept(g);
          handed++;
        } else {
          complete.put(g.id(), g.endedAt());
        }
      }
      after = page.get(page.size() - 1);
    }
  }

  private boolean missesAnEntry(Grant g) {
    List<TeardownEntry> entries = ledger.entriesOf(g.id());
    if (entries.size() >= downstreams.size()) {
      return !entries.stream().map(TeardownEntry::downstream).toList().containsAll(downstreams);
    }
    return true;
  }

  /** The sweep as a timer task: failures are logged, the next sweep reads the window again. */
  void sweepLogged(Instant since, Duration lookBack) {
    try {
      int handed = sweep(since);
      if (handed > 0) {
        LOG.warn("teardown reconciliation found {} ended grants without ledger entries (their end "
            + "was not heard) in the last {}; their teardown starts now", handed, lookBack);
      }
    } catch (RuntimeException e) {
      LOG.error("teardown reconciliation sweep failed; the next sweep reads the window again", e);
    }
  }
}
