package dev.jitaccess.teardown.spi;

import dev.jitaccess.teardown.TeardownEntry;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where teardown entries are kept, one per grant and downstream, so that a crash loses no pending
 * teardown: every replica of an application shares one ledger, and whichever is alive works what
 * is due. The default keeps them in memory ({@code InMemoryTeardownLedger}); a database ledger
 * keeps them across restarts.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #insert} is idempotent per (grant id, downstream): of several inserts of one key,
 *       racing or not, exactly one stores its entry and the others change nothing. Every replica
 *       hears of every grant that ends, so every replica inserts; one wins.
 *   <li>{@link #compareAndSet} is atomic and decided by {@link TeardownEntry#version()}: it stores
 *       {@code next} only if the stored version is still {@code expected}'s, so of two racing
 *       writes from one snapshot at most one succeeds and no write is lost. Check {@code next}
 *       with {@link #checkTransition} first.
 *   <li>{@link #claimDue} leases due entries atomically: of racing claims, each entry goes to at
 *       most one claimer until its lease has passed. A replica that dies holding leases loses them
 *       when they pass, and another claims the entries then. A database does it in one statement
 *       ({@code UPDATE ... WHERE key IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING ...}),
 *       with an index on (downstream, the time it becomes claimable).
 *   <li>Reads ({@link #get}, {@link #entriesOf}, {@link #lingering}) see every write that returned
 *       before they began.
 *   <li>Grant ids are secrets: bind them as parameters, never put them in a message or a log line
 *       (an entry's {@link TeardownEntry#grantReference() reference} may be shown).
 * </ul>
 *
 * <p>Implementations must be thread-safe. An exception thrown here fails only the step that made
 * the call: the entry is left as it was and worked again once its lease has passed.
 */
public interface TeardownLedger {
  /**
   * Stores {@code entry}, a new entry of version 0, unless an entry of its grant and downstream
   * exists.
   *
   * @return whether this call stored it
   * @throws IllegalArgumentException if the entry's version is not 0
   */
  boolean insert(TeardownEntry entry);

  /** The current entry of grant {@code grantId} at {@code downstream}, or null. */
  @Nullable TeardownEntry get(String grantId, String downstream);

  /**
   * Stores {@code next} if, and only if, the stored entry of its key still has {@code
   * expected.version()}.
   *
   * @return whether it was stored
   * @throws IllegalArgumentException naming the rule, if {@code next} is not a legal successor of
   *     {@code expected} ({@link #checkTransition})
   */
  boolean compareAndSet(TeardownEntry expected, TeardownEntry next);

  /**
   * Leases up to {@code limit} entries of {@code downstream} that are {@linkplain
   * TeardownEntry#isClaimableAt claimable} at {@code now} (due, and unleased or with a lease that
   * has passed) to {@code owner} until {@code leaseUntil}, earliest {@linkplain
   * TeardownEntry#claimableAt() claimable} first: each is replaced by {@link
   * TeardownEntry#withLease(String, Instant, Instant) entry.withLease(owner, leaseUntil, now)}.
   *
   * @param limit the most entries to claim, {@code > 0}
   * @return the entries as stored by this claim
   */
  List<TeardownEntry> claimDue(String downstream, Instant now, String owner, Instant leaseUntil,
      int limit);

  /** The entries of grant {@code grantId}, one per downstream, in no particular order. */
  List<TeardownEntry> entriesOf(String grantId);

  /**
   * Up to {@code limit} {@linkplain TeardownEntry#isLingering() lingering} entries (work is still
   * planned and the access is not needed: PENDING, IRREVOCABLE, and REVOKED awaiting a probe; not
   * RETAINED) whose grant ended at or before {@code endedBefore}, the grant that ended first
   * first.
   *
   * @param limit the most entries to return, {@code > 0}
   */
  List<TeardownEntry> lingering(Instant endedBefore, int limit);

  /**
   * Deletes up to {@code limit} {@linkplain TeardownEntry#isSettled() settled} entries last
   * written at or before {@code updatedBefore}: the ledger's retention.
   *
   * @return how many were deleted
   */
  int deleteSettled(Instant updatedBefore, int limit);

  /**
   * Checks that {@code next} may follow {@code expected}: the same grant and downstream, the next
   * version, the same creation time, and a legal state change ({@link
   * dev.jitaccess.teardown.TeardownState#canTransitionTo}). For ledgers to call before they
   * compare and set.
   *
   * @throws IllegalArgumentException naming the rule broken
   */
  static void checkTransition(TeardownEntry expected, TeardownEntry next) {
    if (!expected.sameKey(next)) {
      throw new IllegalArgumentException("next must have expected's grant and downstream");
    }
    if (next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next.version must be expected.version + 1 = "
          + (expected.version() + 1) + ", was " + next.version());
    }
    if (!next.createdAt().equals(expected.createdAt())) {
      throw new IllegalArgumentException("next.createdAt must equal expected.createdAt");
    }
    if (!expected.state().canTransitionTo(next.state())) {
      throw new IllegalArgumentException("a " + expected.state() + " entry must not become "
          + next.state());
    }
  }
}
