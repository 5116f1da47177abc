package dev.jitaccess.caep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Which tokens each grant holds, by grant reference: the {@code jti} and {@code exp} of every token
 * the transmitter has been told of, kept until {@code exp} plus the retention, by the injected
 * clock. Bounded: at most {@code maxGrants} grants and {@code maxTokensPerGrant} tokens each.
 *
 * <p>A grant is <em>complete</em> when every token of it still within its retention is listed.
 * Whenever a token cannot be listed (its grant's cap is reached, its id is unreadable, or the index
 * is full), the index remembers until when that token matters (its {@code exp}, or a day from now
 * if unknown): its grant, or, when the index was full, every grant that starts being followed
 * before then, is incomplete until that token is past its retention. A grant that is incomplete
 * or not followed at all is named whole in a SET, so no token is ever left unnamed.
 *
 * <p>Thread-safe: every change to one grant runs inside {@link ConcurrentHashMap#compute}.
 */
final class TokenIndex {
  /** What is known of one grant's tokens: their ids, and whether they are all of them. */
  record Known(List<String> tokenIds, boolean complete) {
    static final Known UNKNOWN = new Known(List.of(), false);
  }

  private static final Duration PRUNE_INTERVAL = Duration.ofMinutes(1);
  /** How long a token whose {@code exp} is unknown is assumed to live. */
  private static final long UNKNOWN_LIFETIME_SECONDS = Duration.ofDays(1).getSeconds();

  private final Clock clock;
  private final int maxGrants;
  private final int maxTokensPerGrant;
  private final long retentionSeconds;
  private final ConcurrentHashMap<String, Entry> byGrant = new ConcurrentHashMap<>();
  private final AtomicInteger grants = new AtomicInteger();
  /** The latest {@code exp} of a token dropped because the index was full. */
  private final AtomicLong droppedUntil = new AtomicLong(Long.MIN_VALUE);
  private volatile long nextPruneMillis;

  TokenIndex(Clock clock, int maxGrants, int maxTokensPerGrant, Duration retention) {
    this.clock = clock;
    this.maxGrants = maxGrants;
    this.maxTokensPerGrant = maxTokensPerGrant;
    this.retentionSeconds = retention.getSeconds();
    this.nextPruneMillis = clock.millis() + PRUNE_INTERVAL.toMillis();
  }

  /** Records that the grant holds the token {@code tokenId}, which expires at {@code exp}. */
  void add(String grantRef, String tokenId, Instant exp) {
    record(grantRef, tokenId, exp.getEpochSecond());
  }

  /** Records that the grant holds a token whose id cannot be read; {@code exp} if known. */
  void addUnreadable(String grantRef, @Nullable Instant exp) {
    record(grantRef, null, exp != null ? exp.getEpochSecond()
        : nowSeconds() + UNKNOWN_LIFETIME_SECONDS);
  }

  private void record(String grantRef, @Nullable String tokenId, long exp) {
    pruneIfDue();
    long cutoff = cutoffSeconds();
    if (exp < cutoff) {
      return; // past its retention already: nothing to name
    }
    Entry result = byGrant.compute(grantRef, (ref, entry) -> {
      Entry e = entry == null ? newEntry(cutoff) : entry;
      if (e == null) {
        return null; // full: the grant is not followed, so it is named whole
      }
      if (tokenId == null || e.tokenIds.size() >= maxTokensPerGrant) {
        e.incompleteUntil = Math.max(e.incompleteUntil, exp);
      } else if (!e.tokenIds.contains(tokenId)) {
        e.tokenIds.add(tokenId);
        e.expSeconds.add(exp);
      }
      return e;
    });
    if (result == null) {
      droppedUntil.accumulateAndGet(exp, Math::max);
    }
  }

  /** The tokens known for the grant, as of now. */
  Known known(String grantRef) {
    pruneIfDue();
    Known[] out = {Known.UNKNOWN};
    long cutoff = cutoffSeconds();
    byGrant.computeIfPresent(grantRef, (ref, e) -> {
      if (!e.prune(cutoff)) {
        grants.decrementAndGet();
        return null;
      }
      out[0] = new Known(List.copyOf(e.tokenIds), e.incompleteUntil < cutoff);
      return e;
    });
    return out[0];
  }

  /** How many grants are followed now (for tests and diagnostics). */
  int grantCount() {
    return grants.get();
  }

  /**
   * A new entry, or null if the index is full. While a token dropped for want of room may still
   * matter, a new entry cannot vouch that it lists its grant's every token.
   */
  private @Nullable Entry newEntry(long cutoff) {
    if (grants.incrementAndGet() > maxGrants) {
      grants.decrementAndGet();
      return null;
    }
    Entry e = new Entry();
    long dropped = droppedUntil.get();
    if (dropped >= cutoff) {
      e.incompleteUntil = dropped;
    }
    return e;
  }

  private long nowSeconds() {
    return Math.floorDiv(clock.millis(), 1000);
  }

  /** Tokens whose {@code exp} is before this second (epoch) are past their retention. */
  private long cutoffSeconds() {
    return nowSeconds() - retentionSeconds;
  }

  private void pruneIfDue() {
    long now = clock.millis();
    if (now < nextPruneMillis) {
      return;
    }
    nextPruneMillis = now + PRUNE_INTERVAL.toMillis();
    long cutoff = cutoffSeconds();
    for (String ref : byGrant.keySet()) {
      byGrant.computeIfPresent(ref, (k, e) -> {
        if (e.prune(cutoff)) {
          return e;
        }
        grants.decrementAndGet();
        return null;
      });
    }
  }

  /** One grant's tokens, changed only inside {@code compute} for its key. */
  private static final class Entry {
    final List<String> tokenIds = new ArrayList<>(2);
    final List<Long> expSeconds = new ArrayList<>(2);
    /** The latest {@code exp} of a token of this grant that is not listed. */
    long incompleteUntil = Long.MIN_VALUE;

    /**
     * Drops the tokens past their retention; whether the entry still says anything: a token, or
     * that an unlisted one still matters.
     */
    boolean prune(long cutoff) {
      for (int i = tokenIds.size() - 1; i >= 0; i--) {
        if (expSeconds.get(i) < cutoff) {
          tokenIds.remove(i);
          expSeconds.remove(i);
        }
      }
      return !tokenIds.isEmpty() || incompleteUntil >= cutoff;
    }
  }
}
