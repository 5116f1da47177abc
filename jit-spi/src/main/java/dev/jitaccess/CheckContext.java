package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import org.jspecify.annotations.Nullable;

/**
 * What a check knows of its caller beyond the grant id, action and resource: where the call came
 * from ({@link #source()}: an address or a client id, as the application names it). A grant
 * minted for a request with a {@link RequestContext#source() source} is pinned to it ({@link
 * Grant#source()}); a runtime with source pinning on treats a check that names another source as
 * an anomaly.
 *
 * <p>The source is checked as a name is (as {@link RequestContext.Builder#source} checks it), so a
 * context that exists is well formed, and a source compares equal to the one the grant's request
 * gave exactly when the two name the same place.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CheckContext {
  private final String source;

  private CheckContext(String source) {
    this.source = source;
  }

  /**
   * A context for a call from {@code source}.
   *
   * @throws NullPointerException if {@code source} is null
   * @throws IllegalArgumentException naming {@code source} and the rule, if it is blank, longer
   *     than 1,024 characters, begins or ends with white space, or holds control, line separator,
   *     format or bidirectional characters
   */
  public static CheckContext ofSource(String source) {
    return new CheckContext(Validation.name(source, "source"));
  }

  /** Where the call came from, in Unicode NFC. */
  public String source() {
    return source;
  }

  /** Equal when the sources are equal. */
  @Override
  public boolean equals(@Nullable Object o) {
    return this == o || (o instanceof CheckContext && ((CheckContext) o).source.equals(source));
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return "CheckContext[source=" + Validation.abbreviate(source) + "]";
  }
}
