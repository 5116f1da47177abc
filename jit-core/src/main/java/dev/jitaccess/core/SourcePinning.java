package dev.jitaccess.core;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Grant;
import dev.jitaccess.internal.Validation;
import org.jspecify.annotations.Nullable;

/**
 * The built-in second-source detector: a check naming a source other than the one its ACTIVE
 * grant is pinned to. Stateless. The runtime compares the sources of an allowed check itself
 * ({@link #evidence}), without making an {@link ObservedCheck}; denials come through {@link
 * #inspect}. Thread-safe.
 */
final class SourcePinning implements AnomalyDetector {
  static final String NAME = "source-pinning";
  static final SourcePinning INSTANCE = new SourcePinning();

  private SourcePinning() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean watchesAllowedChecks() {
    return true;
  }

  @Override
  public @Nullable String inspect(ObservedCheck check) {
    CheckContext context = check.context();
    Grant grant = check.grant();
    if (context == null || !grant.isActive()) {
      return null;
    }
    return evidence(grant.source(), context.source());
  }

  /** The evidence if {@code seen} is not the {@code pinned} source, else null. */
  static @Nullable String evidence(@Nullable String pinned, String seen) {
    if (pinned == null || pinned.equals(seen)) {
      return null;
    }
    return "checked from source '" + Validation.abbreviate(seen) + "'; the grant is pinned to '"
        + Validation.abbreviate(pinned) + "'";
  }

  @Override
  public String toString() {
    return NAME;
  }
}
