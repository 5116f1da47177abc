package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import dev.jitaccess.DenialCode;
import org.jspecify.annotations.Nullable;

/**
 * Nimbus's {@link DefaultJOSEObjectTypeVerifier} with the failure tagged by a code. Thread-safe.
 */
final class TypeCheck implements JOSEObjectTypeVerifier<SecurityContext> {
  private final DefaultJOSEObjectTypeVerifier<SecurityContext> delegate;
  private final DenialCode code;

  TypeCheck(DenialCode code, @Nullable JOSEObjectType... allowed) {
    this.delegate = new DefaultJOSEObjectTypeVerifier<>(allowed);
    this.code = code;
  }

  @Override
  public void verify(@Nullable JOSEObjectType type, @Nullable SecurityContext context)
      throws BadJOSEException {
    try {
      delegate.verify(type, context);
    } catch (BadJOSEException e) {
      throw new Reasoned.Header(code, "typ must be one of " + delegate.getAllowedTypes()
          + ", was " + (type == null ? "missing" : type));
    }
  }
}
