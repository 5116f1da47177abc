package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.internal.Validation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's side of anomaly detection: asks the registered detectors about checks, and acts
 * on what they find (audit, revoke with ANOMALY, tell the listeners). Made only when at least one
 * detector is registered; the checker asks it about allowed checks only when source pinning is on
 * and the check has a context, or a detector watches allowed checks.
 *
 * <p>A detector that throws fails closed for the check it was asked about (see {@link
 * AnomalyDetector}); its failure, and a listener's, is logged with every grant id in its messages
 * replaced by the grant's reference.
 */
final class Anomalies {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  /** The longest evidence kept, in characters. */
  static final int MAX_EVIDENCE = 1024;

  /** A registered detector, its name read once, and what it makes an allowed check answer. */
  private static final class Watcher {
    final AnomalyDetector detector;
    final String name;
    final Decision detected;
    final Decision failed;

    Watcher(AnomalyDetector detector, String name) {
      this.detector = detector;
      this.name = name;
      this.detected = Decision.deny(DenyReason.ANOMALY, "detected by " + name);
      this.failed = Decision.deny(DenyReason.BACKEND_FAILURE, "anomaly detector " + name
          + " failed");
    }
  }

  private final Watcher[] onDenied;
  private final Watcher[] onAllowed;
  private final @Nullable Watcher pinning;
  private final AnomalyListener[] listeners;
  private final Reporter reporter;
  private final Revoker revoker;
  private final Barriers barriers;
  private final BooleanSupplier closed;

  private Anomalies(List<Watcher> watchers, List<AnomalyListener> listeners, Reporter reporter,
      Revoker revoker, Barriers barriers, BooleanSupplier closed) {
    List<Watcher> denied = new ArrayList<>();
    List<Watcher> allowed = new ArrayList<>();
    Watcher pins = null;
    for (Watcher w : watchers) {
      denied.add(w);
      if (w.detector instanceof SourcePinning) {
        pins = w; // compared by the checker itself on allowed checks
      } else if (w.detector.watchesAllowedChecks()) {
        allowed.add(w);
      }
    }
    this.onDenied = denied.toArray(new Watcher[0]);
    this.onAllowed = allowed.toArray(new Watcher[0]);
    this.pinning = pins;
    this.listeners = listeners.toArray(new AnomalyListener[0]);
    this.reporter = reporter;
    this.revoker = revoker;
    this.barriers = barriers;
    this.closed = closed;
  }

  /**
   * The runtime's anomaly detection, or null if no detector is registered. Built-in detectors get
   * state of their own, on {@code clock}.
   *
   * @param names the detectors' names, as read and checked when they were registered
   */
  static @Nullable Anomalies create(List<AnomalyDetector> detectors, List<String> names,
      List<AnomalyListener> listeners, Clock clock, Reporter reporter, Revoker revoker,
      Barriers barriers, BooleanSupplier closed) {
    if (detectors.isEmpty()) {
      return null;
    }
    List<Watcher> watchers = new ArrayList<>();
    for (int i = 0; i < detectors.size(); i++) {
      AnomalyDetector d = detectors.get(i);
      if (d instanceof AnomalyDetectors.PerRuntime) {
        d = ((AnomalyDetectors.PerRuntime) d).forRuntime(clock);
      }
      watchers.add(new Watcher(d, names.get(i)));
    }
    return new Anomalies(watchers, listeners, reporter, revoker, barriers, closed);
  }

  /** The detectors of {@code type} as this runtime runs them (built-ins with their state). */
  <T> List<T> detectors(Class<T> type) {
    List<T> found = new ArrayList<>();
    for (Watcher w : onDenied) {
      if (type.isInstance(w.detector)) {
        found.add(type.cast(w.detector));
      }
    }
    return found;
  }

  /** Whether source pinning is on: the checker compares an allowed check's source itself. */
  boolean pinsSources() {
    return pinning != null;
  }

  /** Whether a detector other than source pinning watches allowed checks. */
  boolean watchesAllowed() {
    return onAllowed.length > 0;
  }

  /** Whether {@code decision} is one this class gave an allowed check: no detector judges it. */
  boolean isOwn(Decision decision) {
    if (decision.reason() == DenyReason.ANOMALY) {
      return true;
    }
    for (Watcher w : onAllowed) {
      if (w.failed == decision) {
        return true;
      }
    }
    return false;
  }

  /**
   * Acts on an allowed check from {@code context}'s source on a grant pinned to another.
   *
   * @return the check's decision: a denial
   */
  Decision sourceMismatch(Grant grant, @Nullable String action, @Nullable String resource,
      CheckContext context) {
    Watcher w = pinning;
    String evidence = SourcePinning.evidence(grant.source(), context.source());
    if (w == null || evidence == null) { // unreachable: the checker compared them
      return Decision.deny(DenyReason.ANOMALY, "source-pinning");
    }
    act(w, evidence, grant, action, resource, reporter.now());
    return w.detected;
  }

  /**
   * Asks the detectors that watch allowed checks about one, before it allows.
   *
   * @return null to allow; else the denial: a detection's, or if none, a failed detector's
   */
  @Nullable Decision inspectAllowed(Grant grant, @Nullable String action,
      @Nullable String resource, @Nullable CheckContext context) {
    ObservedCheck check = new ObservedCheck(grant, action, resource, context, Decision.allow(),
        reporter.now(), barriers);
    Decision answer = null;
    for (Watcher w : onAllowed) {
      String evidence = inspect(w, check);
      if (evidence == INSPECTION_FAILED) {
        if (answer == null) {
          answer = w.failed;
        }
      } else if (evidence != null) {
        act(w, evidence, grant, action, resource, check.at());
        if (answer == null || answer.reason() != DenyReason.ANOMALY) {
          answer = w.detected;
        }
      }
    }
    return answer;
  }

  /**
   * Asks every detector about a denial of {@code grant} (as read after it), made at {@code at}
   * (the time its audit event carries); never throws.
   */
  void inspectDenied(Grant grant, @Nullable String action, @Nullable String resource,
      @Nullable CheckContext context, Decision decision, Instant at) {
    ObservedCheck check = new ObservedCheck(grant, action, resource, context, decision, at,
        barriers);
    for (Watcher w : onDenied) {
      String evidence = inspect(w, check);
      if (evidence != null && evidence != INSPECTION_FAILED) {
        act(w, evidence, grant, action, resource, check.at());
      }
    }
  }

  /** What {@link #inspect} returns for a detector that threw. */
  private static final String INSPECTION_FAILED = new String("failed");

  private static @Nullable String inspect(Watcher w, ObservedCheck check) {
    try {
      return w.detector.inspect(check);
    } catch (Throwable e) { // an Error too: the check still answers
      LOG.error("AnomalyDetector {} failed on a check of grant {}; the check denies and the grant "
          + "stands", w.name, check.grant().reference(), Redaction.of(e, check.grant()));
      return INSPECTION_FAILED;
    }
  }

  /** Audits an anomaly, revokes its grant if ACTIVE, and tells the listeners; never throws. */
  private void act(Watcher w, String evidence, Grant grant, @Nullable String action,
      @Nullable String resource, Instant at) {
    String clean = Redaction.text(evidence, grant, MAX_EVIDENCE);
    try {
      reporter.audit(AuditEvent.builder(AuditEventType.ANOMALY, at).grant(grant)
          .reason(RevocationReason.ANOMALY.code()).actor(w.name).action(action).resource(resource)
          .detail(clean).build());
    } catch (Throwable e) { // building the event: the revocation must still happen
      LOG.error("Auditing the anomaly {} found on grant {} failed", w.name, grant.reference(),
          Redaction.of(e, grant));
    }
    boolean revoked = false;
    if (grant.isActive() && !closed.getAsBoolean()) {
      try {
        revoked = revoker.revoke(grant.id(), RevocationReason.ANOMALY);
      } catch (Throwable e) { // an Error too: the check that found it denies all the same
        LOG.error("Revoking grant {} for the anomaly {} found failed; the check denies, the grant "
            + "stands until revoked or expired", grant.reference(), w.name,
            Redaction.of(e, grant));
      }
    }
    AnomalyReport report = new AnomalyReport(w.name, clean, grant, at, revoked);
    for (AnomalyListener listener : listeners) {
      try {
        listener.onAnomaly(report);
      } catch (Throwable e) { // an Error too: every other listener must still hear of it
        LOG.error("AnomalyListener {} failed for grant {}; the anomaly stands", listener,
            grant.reference(), Redaction.of(e, grant));
      }
    }
  }

  /** Checks a detector's name as it is registered: the rule of {@link AnomalyDetector#name()}. */
  static String checkName(@Nullable String name) {
    boolean ok = name != null && !name.isEmpty() && name.length() <= 64;
    for (int i = 0; ok && i < name.length(); i++) {
      char c = name.charAt(i);
      boolean lower = c >= 'a' && c <= 'z';
      ok = i == 0 ? lower : lower || (c >= '0' && c <= '9') || c == '-';
    }
    if (!ok) {
      throw new IllegalArgumentException("anomalyDetector.name() must be 1 to 64 characters "
          + "[a-z][a-z0-9-]*, was " + (name == null ? "null"
              : "'" + Validation.abbreviate(name) + "'"));
    }
    return name;
  }

  /** Grant ids out of text and failures that are logged or audited. */
  static final class Redaction {
    private static final int MAX_CAUSES = 8;

    private Redaction() {}

    /**
     * {@code text} with the ids of {@code grant} and its parent replaced by their references,
     * unsafe characters by {@code ?}, and cut to {@code max} characters.
     */
    static String text(String text, Grant grant, int max) {
      String out = text.replace(grant.id(), grant.reference());
      String parent = grant.parentId();
      if (parent != null) {
        out = out.replace(parent, GrantReference.of(parent));
      }
      StringBuilder b = new StringBuilder(Math.min(out.length(), max + 32));
      for (int i = 0; i < out.length(); ) {
        int c = out.codePointAt(i);
        if (b.length() >= max) {
          b.append("... (").append(out.length()).append(" characters)");
          break;
        }
        if (Validation.isUnsafeCodePoint(c)) {
          b.append('?');
        } else {
          b.appendCodePoint(c);
        }
        i += Character.charCount(c);
      }
      return b.toString();
    }

    /** A copy of {@code e} and its causes, their messages redacted, their stack traces kept. */
    static Throwable of(Throwable e, Grant grant) {
      return copy(e, grant, 0);
    }

    private static Throwable copy(Throwable e, Grant grant, int depth) {
      String message = e.getMessage();
      Throwable cause = e.getCause();
      Redacted copy = new Redacted(e.getClass().getName()
          + (message == null ? "" : ": " + text(message, grant, MAX_EVIDENCE)),
          cause != null && cause != e && depth < MAX_CAUSES ? copy(cause, grant, depth + 1)
              : null);
      copy.setStackTrace(e.getStackTrace());
      return copy;
    }
  }

  /** A failure as it is logged: the original's class and redacted message, and its stack. */
  static final class Redacted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Redacted(String message, @Nullable Throwable cause) {
      super(message, cause, false, true);
    }

    @Override
    public String toString() {
      return String.valueOf(getMessage());
    }
  }
}
