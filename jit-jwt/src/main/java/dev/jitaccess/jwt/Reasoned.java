package dev.jitaccess.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.proc.BadJWTException;
import dev.jitaccess.DenyReason;

/**
 * Nimbus exceptions that carry the {@link DenyReason} of the check that threw them, so that the
 * processor's failures map to specific reasons without reading messages.
 */
interface Reasoned {
  DenyReason reason();

  /** Thrown by the {@code typ} verifier. */
  final class Header extends BadJOSEException implements Reasoned {
    private static final long serialVersionUID = 1L;
    private final DenyReason reason;

    Header(DenyReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    @Override
    public DenyReason reason() {
      return reason;
    }
  }

  /** Thrown by the claims verifiers. */
  final class Claims extends BadJWTException implements Reasoned {
    private static final long serialVersionUID = 1L;
    private final DenyReason reason;

    Claims(DenyReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    @Override
    public DenyReason reason() {
      return reason;
    }
  }

  /** Thrown by the key selectors. */
  final class Key extends KeySourceException implements Reasoned {
    private static final long serialVersionUID = 1L;
    private final DenyReason reason;

    Key(DenyReason reason, String message) {
      super(message);
      this.reason = reason;
    }

    @Override
    public DenyReason reason() {
      return reason;
    }
  }
}
