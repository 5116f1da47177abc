package dev.jitaccess.jwt;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import dev.jitaccess.DenyReason;
import org.jspecify.annotations.Nullable;

/**
 * Nimbus's {@link DefaultJOSEObjectTypeVerifier} with the failure tagged by a reason. Thread-safe.
 */
final class TypeCheck implements JOSEObjectTypeVerifier<SecurityContext> {
  private final DefaultJOSEObjectTypeVerifier<SecurityContext> delegate;
  private final DenyReason reason;

  TypeCheck(DenyReason reason, @Nullable JOSEObjectType... allowed) {
    this.delegate = new DefaultJOSEObjectTypeVerifier<>(allowed);
    this.reason = reason;
  }

  @Override
  public void verify(@Nullable JOSEObjectType type, @Nullable SecurityContext context)
      throws BadJOSEException {
    try {
      delegate.verify(type, context);
    } catch (BadJOSEException e) {
      throw new Reasoned.Header(reason, "typ must be one of " + delegate.getAllowedTypes()
          + ", was " + (type == null ? "missing" : type));
    }
  }
}
