package dev.jitaccess.core;

import dev.jitaccess.Grant;
import java.time.Instant;

/**
 * An anomaly a detector found: which detector, the evidence, the grant as the check saw it, when,
 * and whether the detection ended the grant. Given to every {@link AnomalyListener}.
 *
 * <p>{@link #toString()} names the grant by its reference, never its id. Immutable and
 * thread-safe.
 */
public final class AnomalyReport {
  private final String detector;
  private final String evidence;
  private final Grant grant;
  private final Instant at;
  private final boolean revoked;

  AnomalyReport(String detector, String evidence, Grant grant, Instant at, boolean revoked) {
    this.detector = detector;
    this.evidence = evidence;
    this.grant = grant;
    this.at = at;
    this.revoked = revoked;
  }

  /** The {@linkplain AnomalyDetector#name() name} of the detector that found it. */
  public String detector() {
    return detector;
  }

  /** What the detector saw, in its words, with any grant id replaced by the grant's reference. */
  public String evidence() {
    return evidence;
  }

  /** The grant, as the check that showed the anomaly saw it (before any revocation). */
  public Grant grant() {
    return grant;
  }

  /** The grant's owner: whom to tell. */
  public String owner() {
    return grant.owner();
  }

  /** When the anomaly was found, by the runtime's clock. */
  public Instant at() {
    return at;
  }

  /**
   * Whether this detection revoked the grant (with {@code ANOMALY}); false if it had already ended
   * (or ended meanwhile, for another reason or by another detection), if the runtime is closed, or
   * if the store failed (logged).
   */
  public boolean revoked() {
    return revoked;
  }

  @Override
  public String toString() {
    return "AnomalyReport[detector=" + detector + ", grant=" + grant.reference() + ", owner="
        + grant.owner() + ", at=" + at + ", revoked=" + revoked + ", evidence=" + evidence + "]";
  }
}
