package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The lifetime a grant is requested for, and an optional hard cap that renewals can never pass.
 *
 * <pre>{@code
 * Ttl.of(Duration.ofMinutes(5));                          // 5 minutes, renewable up to the runtime's cap
 * Ttl.of(Duration.ofMinutes(5), Duration.ofMinutes(30)); // never alive more than 30 minutes after issue
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param lifetime how long the grant lives from issue (or from a renewal); {@code > 0}
 * @param hardCap how long after issue the grant must end, however often it is renewed; {@code >=
 *     lifetime}, or null for the runtime's maximum
 */
public record Ttl(Duration lifetime, @Nullable Duration hardCap) {

  /**
   * Validates the lifetime and cap.
   *
   * @throws NullPointerException if lifetime is null
   * @throws IllegalArgumentException if lifetime is not {@code > 0} or hardCap is below lifetime
   */
  public Ttl {
    Validation.positive(lifetime, "ttl.lifetime");
    if (hardCap != null && hardCap.compareTo(lifetime) < 0) {
      throw new IllegalArgumentException(
          "ttl.hardCap must be >= ttl.lifetime " + lifetime + ", was " + hardCap);
    }
  }

  /** A lifetime with no cap of its own (the runtime's maximum hard cap applies). */
  public static Ttl of(Duration lifetime) {
    return new Ttl(lifetime, null);
  }

  /** A lifetime and a hard cap, both counted from issue. */
  public static Ttl of(Duration lifetime, Duration hardCap) {
    java.util.Objects.requireNonNull(hardCap, "ttl.hardCap must not be null");
    return new Ttl(lifetime, hardCap);
  }

  /** The hard cap, if this ttl has one of its own. */
  public Optional<Duration> cap() {
    return Optional.ofNullable(hardCap);
  }
}
