package dev.jitaccess.teardown.spi;

import dev.jitaccess.Grant;
import dev.jitaccess.core.InMemoryGrantStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The grants that ended recently, as the grant store holds them: what the teardown's
 * reconciliation sweep reads to find grants whose end no teardown listener heard (none was
 * registered, or the process died between the end and the ledger insert). The grant store SPI
 * lists only ACTIVE grants, so a store that is swept supplies this too; {@link
 * #of(InMemoryGrantStore)} adapts the in-memory store.
 *
 * <p>Implementations must be thread-safe. An exception thrown here ends that sweep; the next
 * sweep reads the same window again.
 */
@FunctionalInterface
public interface EndedGrants {
  /**
   * Up to {@code limit} grants that have left ACTIVE and whose {@code endedAt} is at or after
   * {@code since}, in ascending {@code (endedAt, id)} order, starting after {@code after} in that
   * order (from the first when null). An empty list ends the listing. Sees every end whose write
   * returned before the call began, while the store still holds the grant.
   *
   * @param limit the most grants to return, {@code > 0}
   */
  List<Grant> endedSince(Instant since, @Nullable Grant after, int limit);

  /**
   * The ended grants {@code store} still holds (for its retention, five minutes by default), read
   * by scanning them all on every page: for one process and tests.
   */
  static EndedGrants of(InMemoryGrantStore store) {
    Objects.requireNonNull(store, "store must not be null");
    Comparator<Grant> order = Comparator.comparing((Grant g) -> Objects.requireNonNull(
        g.endedAt())).thenComparing(Grant::id);
    return (since, after, limit) -> {
      Objects.requireNonNull(since, "since must not be null");
      if (limit <= 0) {
        throw new IllegalArgumentException("limit must be > 0, was " + limit);
      }
      Stream<Grant> ended = store.grants().stream()
          .filter(g -> !g.isActive() && g.endedAt() != null && !g.endedAt().isBefore(since));
      if (after != null) {
        ended = ended.filter(g -> order.compare(g, after) > 0);
      }
      return ended.sorted(order).limit(limit).toList();
    };
  }
}
