package dev.jitaccess.governance.spi;

import dev.jitaccess.governance.Certification;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where recertification decisions and lapses are kept, shared by every replica. Items are named
 * {@code bundle:<name>} or {@code request:<id>}. {@link #markLapsed} and {@link #markNoticed}
 * answer true once per item and due time across all replicas, so a lapse is acted on and
 * audited once. Implementations must be thread-safe.
 */
public interface RecertificationStore {
  /** The latest decision on {@code item}, or null. */
  @Nullable Certification latest(String item);

  /** Records a decision; it clears a suspension of the item. */
  void record(Certification certification);

  /** Marks that the recertification of {@code item} due at {@code dueAt} lapsed; true the first time. */
  boolean markLapsed(String item, Instant dueAt);

  /** Marks that the owner was told of the recertification due at {@code dueAt}; true the first time. */
  boolean markNoticed(String item, Instant dueAt);

  /** Suspends {@code item} until its next decision. */
  void suspend(String item);

  /** Whether {@code item} is suspended. */
  boolean isSuspended(String item);
}
