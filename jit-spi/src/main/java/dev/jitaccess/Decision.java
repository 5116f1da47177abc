package dev.jitaccess;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a check: allow, or deny with a {@link DenyReason} and an optional detail.
 *
 * <p>{@link #allow()} and {@link #deny(DenyReason)} return shared instances, so a check allocates
 * nothing for its answer. Instances are immutable and thread-safe.
 */
public final class Decision {
  private static final Decision ALLOW = new Decision(null, null);
  private static final Map<DenyReason, Decision> DENIALS = new EnumMap<>(DenyReason.class);

  static {
    for (DenyReason reason : DenyReason.values()) {
      DENIALS.put(reason, new Decision(reason, null));
    }
  }

  private final @Nullable DenyReason reason;
  private final @Nullable String detail;

  private Decision(@Nullable DenyReason reason, @Nullable String detail) {
    this.reason = reason;
    this.detail = detail;
  }

  /** The allow decision. */
  public static Decision allow() {
    return ALLOW;
  }

  /** A denial for {@code reason}. */
  public static Decision deny(DenyReason reason) {
    return DENIALS.get(Objects.requireNonNull(reason, "reason must not be null"));
  }

  /** A denial for {@code reason} with a human-readable detail. */
  public static Decision deny(DenyReason reason, String detail) {
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(detail, "detail must not be null");
    return new Decision(reason, detail);
  }

  /** Whether access is allowed. */
  public boolean isAllowed() {
    return reason == null;
  }

  /** Whether access is denied. */
  public boolean isDenied() {
    return reason != null;
  }

  /** Why access is denied, or null if it is allowed. */
  public @Nullable DenyReason reason() {
    return reason;
  }

  /** A human-readable detail of the denial, if any. */
  public @Nullable String detail() {
    return detail;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return this == o
        || (o instanceof Decision
            && ((Decision) o).reason == reason
            && Objects.equals(((Decision) o).detail, detail));
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, detail);
  }

  @Override
  public String toString() {
    if (reason == null) {
      return "ALLOW";
    }
    return detail == null ? "DENY(" + reason + ")" : "DENY(" + reason + ": " + detail + ")";
  }
}
