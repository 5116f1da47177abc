package dev.jitaccess.core;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import org.jspecify.annotations.Nullable;

/**
 * A cache of a runtime's allowed decisions, keyed by grant, action and resource (and the caller's
 * source, for checks with a {@link CheckContext}), for code that must cache decisions: what it
 * answers can never be staler than the grant. Obtained from {@link JitAccess#decisionCache(int)}.
 *
 * <pre>{@code
 * DecisionCache decisions = jit.decisionCache(10_000);
 * if (decisions.check(grantId, "read", "reports/2026-11").isAllowed()) { ... }
 * }</pre>
 *
 * <p>Guarantees:
 *
 * <ul>
 *   <li><b>Only what the runtime allowed.</b> Entries are made only by {@link #check}, from an
 *       allowed decision of the runtime's own check. Denials are not cached at all: a denial may
 *       turn into an allow (a grant not yet valid), caching it buys no safety, and a denial must
 *       be audited and seen by the anomaly detectors every time.
 *   <li><b>Gone when the grant ends.</b> Once {@link JitAccess#revoke} has returned, {@link #get}
 *       answers no allow for that grant nor for any grant delegated from it (also with a {@link
 *       JitAccessBuilder#cascadeExecutor cascade executor} that has not reached them yet). The
 *       same holds for every other end (expiry, a task's end, an anomaly), and, on a shared store,
 *       for an end made by another runtime once this runtime has heard of it through the store's
 *       change feed. A check that was allowed while the grant was being ended does not put its
 *       entry back.
 *   <li><b>Never past the grant's expiry.</b> An entry expires at its grant's {@code expiresAt} by
 *       the runtime's clock (or earlier, at the {@code maxAge} of {@link
 *       JitAccess#decisionCache(int, java.time.Duration)}). A read never extends it, and neither
 *       does a renewal: the next miss caches the renewed grant anew.
 *   <li><b>Every use counted.</b> Decisions on a grant with a use budget are never cached.
 *   <li><b>Bounded.</b> At most {@code maxSize} decisions; past that, those least used go first.
 * </ul>
 *
 * <p>A hit does not go through the runtime's check: it is not audited (nor counted by {@link
 * AllowedCheckAudit}), and not shown to the anomaly detectors. A check with a context is cached
 * under its source, so a call from another source misses and is judged by the runtime. A miss that
 * allows costs the runtime's check plus one read of the grant from the store, and one of each
 * ancestor of a delegated grant, before its entry is made.
 *
 * <p>On a shared store, what this cache answers is as fresh as the runtime's change feed: if the
 * feed lags, an end made elsewhere reaches the cache late (the runtime's own checks would deny
 * {@code STALE_VIEW} meanwhile, a hit does not); bound that with the {@code maxAge} of {@link
 * JitAccess#decisionCache(int, java.time.Duration)}.
 *
 * <p>Implementations are thread-safe.
 */
public interface DecisionCache extends AutoCloseable {
  /** The largest {@code maxSize} a cache may have. */
  int MAX_SIZE = 10_000_000;

  /**
   * The cached decision, {@link Decision#allow()}, or null if there is none (a miss). Never
   * throws: a malformed or null argument is a miss.
   */
  @Nullable Decision get(String grantId, String action, String resource);

  /** As {@link #get(String, String, String)}, for a check from {@code context}'s source. */
  @Nullable Decision get(String grantId, String action, String resource, CheckContext context);

  /**
   * The cached decision, else the runtime's {@link JitAccess#check(String, String, String)
   * check}, cached if it allowed. Never throws.
   */
  Decision check(String grantId, String action, String resource);

  /**
   * The cached decision, else the runtime's {@link JitAccess#check(String, String, String,
   * CheckContext) check from that source}, cached under that source if it allowed. Never throws.
   */
  Decision check(String grantId, String action, String resource, CheckContext context);

  /** Forgets every entry. */
  void invalidateAll();

  /** About how many decisions are cached. */
  long estimatedSize();

  /**
   * Forgets every entry and stops caching: from then on {@link #get} misses and {@link #check}
   * asks the runtime every time. Idempotent.
   */
  @Override
  void close();
}
