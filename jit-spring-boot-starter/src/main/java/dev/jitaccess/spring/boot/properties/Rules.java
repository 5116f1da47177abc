package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.validation.Errors;

/** Records broken rules, each as a message naming the property and the rule. */
final class Rules {
  private final Errors errors;

  Rules(Errors errors) {
    this.errors = errors;
  }

  void reject(String property, String rule) {
    errors.reject("jit.invalid", property + " " + rule);
  }

  /** A duration that, if set, must be {@code > 0}. */
  void positive(String property, @Nullable Duration value) {
    if (value != null && (value.isNegative() || value.isZero())) {
      reject(property, "must be > 0, was " + value);
    }
  }

  void range(String property, @Nullable Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      reject(property, "must be in [" + min + ", " + max + "], was " + value);
    }
  }
}
