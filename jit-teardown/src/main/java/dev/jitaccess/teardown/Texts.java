package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Checks and cleaning of the names and texts a teardown entry holds. Not an API. */
final class Texts {
  /** Longest cause kept, in characters; longer ones are cut. */
  static final int MAX_CAUSE = 512;
  /** Longest reason or actor accepted, in characters. */
  static final int MAX_TEXT = 1024;

  private Texts() {}

  /**
   * Checks a downstream name: 1 to 64 characters from {@code [A-Za-z0-9._:-]}, starting with a
   * letter or digit, so that it reads the same in logs, audit trails and a ledger's key.
   */
  static String downstream(@Nullable String name, String field) {
    Objects.requireNonNull(name, () -> field + " must not be null");
    if (!isDownstreamName(name)) {
      throw new IllegalArgumentException(field
          + " must match [A-Za-z0-9][A-Za-z0-9._:-]{0,63}, was " + quote(name));
    }
    return name;
  }

  private static boolean isDownstreamName(String name) {
    if (name.isEmpty() || name.length() > 64) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && (i == 0 || (c != '.' && c != '_' && c != ':' && c != '-'))) {
        return false;
      }
    }
    return true;
  }

  /** Checks a person's text (a reason, an actor): not blank, at most 1 KiB, no control chars. */
  static String text(@Nullable String value, String field) {
    Objects.requireNonNull(value, () -> field + " must not be null");
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          field + " must be at most " + MAX_TEXT + " characters, was " + value.length());
    }
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(field + " must not contain control characters, found "
            + "one at index " + i);
      }
    }
    return value;
  }

  /**
   * A downstream's cause made safe to keep and show: the grant's id (should a downstream echo it)
   * replaced by its reference, control characters by {@code ?}, cut to {@value #MAX_CAUSE}
   * characters.
   */
  static String cause(@Nullable String raw, Grant grant) {
    if (raw == null) {
      return "(no cause given)";
    }
    String text = raw.replace(grant.id(), grant.reference());
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_CAUSE));
    for (int i = 0; i < text.length() && b.length() < MAX_CAUSE; i++) {
      char c = text.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    if (text.length() > MAX_CAUSE) {
      b.setLength(MAX_CAUSE - 3);
      b.append("...");
    }
    return b.toString().isBlank() ? "(blank cause)" : b.toString();
  }

  /**
   * What a mismatched acknowledgement named, fit to show: a well-formed reference as it is, the
   * grant's own id as such, anything else as neither.
   */
  static String acknowledged(@Nullable String named, Grant grant) {
    if (named == null) {
      return "no grant";
    }
    if (named.equals(grant.id())) {
      return "the grant's id instead of its reference";
    }
    if (GrantReference.isWellFormed(named)) {
      return "grant " + named;
    }
    return "a value that is not a grant reference";
  }

  private static String quote(String value) {
    String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.append('\'').toString();
  }
}
