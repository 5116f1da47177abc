package dev.jitaccess;

import org.jspecify.annotations.Nullable;

/** The base of the exceptions JIT Access throws on purpose. */
public class JitAccessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An exception with a message. */
  public JitAccessException(String message) {
    super(message);
  }

  /** An exception with a message and a cause. */
  public JitAccessException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
