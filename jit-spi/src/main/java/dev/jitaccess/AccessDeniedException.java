package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.util.Objects;

/** Thrown by {@code require(...)} when a check denies. */
public class AccessDeniedException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  private final transient Decision decision;
  private final String action;
  private final String resource;

  /** The check of {@code action} on {@code resource} with grant {@code grantId} was denied. */
  public AccessDeniedException(Decision decision, String grantId, String action, String resource) {
    super("access denied (" + Objects.requireNonNull(decision.code(), "decision must deny").name()
        + ") for " + Validation.abbreviate(String.valueOf(action)) + " on "
        + Validation.abbreviate(String.valueOf(resource)) + " with grant "
        + Validation.redactId(String.valueOf(grantId))
        + (decision.detail() == null ? "" : ": " + decision.detail()));
    this.decision = decision;
    this.action = String.valueOf(action);
    this.resource = String.valueOf(resource);
  }

  /** The denial. */
  public Decision decision() {
    return decision;
  }

  /** Why access was denied. */
  public DenyReason reason() {
    return Objects.requireNonNull(decision.reason());
  }

  /** The action that was asked for. */
  public String action() {
    return action;
  }

  /** The resource that was asked for. */
  public String resource() {
    return resource;
  }
}
