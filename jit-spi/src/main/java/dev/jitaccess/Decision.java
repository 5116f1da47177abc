package dev.jitaccess;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The answer to a check: allow, or deny with a {@link DenialCode} (the runtime's {@link
 * DenyReason}, or a module's finer code refining one) and an optional detail.
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

  private final @Nullable DenialCode code;
  private final @Nullable DenyReason reason;
  private final @Nullable String detail;

  private Decision(@Nullable DenyReason reason, @Nullable String detail) {
    this.code = reason;
    this.reason = reason;
    this.detail = detail;
  }

  private Decision(DenialCode code, DenyReason reason, @Nullable String detail) {
    this.code = code;
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

  /**
   * A denial for {@code code} with a human-readable detail.
   *
   * @throws NullPointerException naming the argument, if either is null or {@code code.reason()}
   *     or {@code code.name()} returns null
   */
  public static Decision deny(DenialCode code, String detail) {
    Objects.requireNonNull(code, "code must not be null");
    Objects.requireNonNull(detail, "detail must not be null");
    if (code instanceof DenyReason) {
      return new Decision((DenyReason) code, detail);
    }
    Objects.requireNonNull(code.name(), "code.name() must not be null");
    return new Decision(code, Objects.requireNonNull(code.reason(), "code.reason() must not be null"),
        detail);
  }

  /** Whether access is allowed. */
  public boolean isAllowed() {
    return reason == null;
  }

  /** Whether access is denied. */
  public boolean isDenied() {
    return reason != null;
  }

  /**
   * Why access is denied, as one of the runtime's reasons, or null if it is allowed. For a
   * module's finer code this is the reason it refines; see {@link #code()}.
   */
  public @Nullable DenyReason reason() {
    return reason;
  }

  /**
   * The precise code of the denial, or null if access is allowed: {@link #reason()} itself, or a
   * module's finer code (for example a token verifier's {@code BAD_SIGNATURE}, which refines
   * {@link DenyReason#INVALID_TOKEN}).
   */
  public @Nullable DenialCode code() {
    return code;
  }

  /** A human-readable detail of the denial, if any. */
  public @Nullable String detail() {
    return detail;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return this == o
        || (o instanceof Decision
            && Objects.equals(((Decision) o).code, code)
            && Objects.equals(((Decision) o).detail, detail));
  }

  @Override
  public int hashCode() {
    return Objects.hash(code, detail);
  }

  @Override
  public String toString() {
    if (code == null) {
      return "ALLOW";
    }
    String name = code.name();
    return detail == null ? "DENY(" + name + ")" : "DENY(" + name + ": " + detail + ")";
  }
}
