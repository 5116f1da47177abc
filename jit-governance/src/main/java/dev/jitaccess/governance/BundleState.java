package dev.jitaccess.governance;

/**
 * Where a {@link Bundle} is: ACTIVE until its window closes or someone ends it, then ENDED (or
 * REVOKED, ended early for cause). Only ACTIVE moves, and only to one of the others.
 */
public enum BundleState {
  /** Members may activate grants from it within its window. */
  ACTIVE,
  /** Its window closed or its owner ended it; its grants ended ({@code BUNDLE_ENDED}). */
  ENDED,
  /** It was revoked; its grants ended ({@code BUNDLE_REVOKED}). */
  REVOKED
}
