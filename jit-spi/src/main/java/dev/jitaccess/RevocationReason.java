package dev.jitaccess;

import java.util.Objects;

/**
 * Why a grant left {@link GrantState#ACTIVE}. The well-known reasons are constants; an application
 * may name its own with {@link #of(String)} (for example {@code RevocationReason.of("OFFBOARDED")}).
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param code an upper-case code of 1 to 64 characters from {@code [A-Z0-9_]}, starting with a letter
 */
public record RevocationReason(String code) {
  /** The task the grant was minted for finished. */
  public static final RevocationReason TASK_COMPLETED = new RevocationReason("TASK_COMPLETED");
  /** The task the grant was minted for failed. */
  public static final RevocationReason TASK_FAILED = new RevocationReason("TASK_FAILED");
  /** The holder misbehaved. */
  public static final RevocationReason ANOMALY = new RevocationReason("ANOMALY");
  /** Someone revoked it by hand. */
  public static final RevocationReason MANUAL = new RevocationReason("MANUAL");
  /** The grant it was delegated from left ACTIVE. */
  public static final RevocationReason PARENT_REVOKED = new RevocationReason("PARENT_REVOKED");
  /** Its lifetime ran out. */
  public static final RevocationReason EXPIRED = new RevocationReason("EXPIRED");
  /** Its use budget was spent. */
  public static final RevocationReason EXHAUSTED = new RevocationReason("EXHAUSTED");

  /**
   * Validates the code.
   *
   * @throws IllegalArgumentException if the code is malformed
   */
  public RevocationReason {
    Objects.requireNonNull(code, "reason.code must not be null");
    if (!code.matches("[A-Z][A-Z0-9_]{0,63}")) {
      throw new IllegalArgumentException(
          "reason.code must match [A-Z][A-Z0-9_]{0,63}, was '"
              + dev.jitaccess.internal.Validation.abbreviate(code) + "'");
    }
  }

  /** A reason with the given code. */
  public static RevocationReason of(String code) {
    return new RevocationReason(code);
  }

  @Override
  public String toString() {
    return code;
  }
}
