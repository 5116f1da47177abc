package dev.jitaccess;

import dev.jitaccess.internal.Validation;

/** An operation named a grant id that no store knows. */
public class UnknownGrantException extends JitAccessException {
  private static final long serialVersionUID = 1L;

  /** No grant has {@code id}; {@code field} is the argument that named it. */
  public UnknownGrantException(String field, String id) {
    super(field + " must name a known grant, no grant " + Validation.redactId(id) + " exists");
  }
}
