package dev.jitaccess;

/**
 * The precise code of a denial: a {@link DenyReason} of the runtime's own, or a finer code defined
 * by a module that decides on the runtime's behalf, such as {@code jit-jwt}'s token and proof
 * codes. Every code refines one {@link DenyReason}, so a caller that handles the runtime's reasons
 * handles every module's denials too ({@link Decision#reason()}), and one that wants the detail
 * reads {@link Decision#code()}.
 *
 * <p>A module's codes are best an enum implementing this interface. {@link #name()} is what audit
 * events and log lines record: upper case, stable across releases, and unique among the codes a
 * deployment uses (a module's codes do not reuse a {@link DenyReason} name for another meaning).
 */
public interface DenialCode {
  /** The code, for example {@code REVOKED} or {@code BAD_SIGNATURE}. */
  String name();

  /** The runtime's reason this code refines; a {@link DenyReason} returns itself. */
  DenyReason reason();
}
