package dev.jitaccess.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.proc.BadJWTException;
import dev.jitaccess.DenialCode;

/**
 * Nimbus exceptions that carry the {@link DenialCode} of the check that threw them, so that the
 * processor's failures map to specific reasons without reading messages.
 */
interface Reasoned {
  DenialCode code();

  /** Thrown by the {@code typ} verifier. */
  final class Header extends BadJOSEException implements Reasoned {
    private static final long serialVersionUID = 1L;
    private final DenialCode code;

    Header(DenialCode code, String message) {
      super(message);
      this.code = code;
    }

    @Override
    public DenialCode code() {
      return code;
    }
  }

  /** Thrown by the claims verifiers. */
  final class Claims extends BadJWTException implements Reasoned {
    private static final long serialVersionUID = 1L;
    private final DenialCode code;

    Claims(DenialCode code, String message) {
      super(message);
      this.code = code;
    }

    @Override
    public DenialCode code() {
      return code;
    }
  }

  /** Thrown by the key selectors. */
  final class Key extends KeySourceException implements Reasoned {
    private static final long serialVersionUID = 1L;
    private final DenialCode code;

    Key(DenialCode code, String message) {
      super(message);
      this.code = code;
    }

    @Override
    public DenialCode code() {
      return code;
    }
  }
}
