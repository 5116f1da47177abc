package dev.jitaccess.caep;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.GrantReference;
import dev.jitaccess.spi.AuditSink;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The transmitter's view of the audit trail: {@code TOKEN_ISSUED} events feed its token index,
 * {@code RENEWED} events become token-claims-change pushes on an executor. Never throws (an
 * {@code Error} aside); what goes wrong is logged by receiver name and grant reference.
 * Thread-safe.
 */
final class AuditTap implements AuditSink {
  private static final System.Logger LOG = System.getLogger(AuditTap.class.getName());
  /** What {@code AuditEvent} keeps of a token id unchanged: at most 64 base64url characters. */
  private static final int MAX_READABLE_TOKEN_ID = 64;

  private final CaepTransmitter transmitter;
  private final @Nullable Executor executor;
  private final List<CaepReceiver> receivers;

  AuditTap(CaepTransmitter transmitter, @Nullable Executor executor,
      List<CaepReceiver> receivers) {
    this.transmitter = transmitter;
    this.executor = executor;
    this.receivers = receivers;
  }

  @Override
  public void record(AuditEvent event) {
    try {
      if (event.type() == AuditEventType.TOKEN_ISSUED) {
        tokenIssued(event);
      } else if (event.type() == AuditEventType.RENEWED && executor != null
          && !receivers.isEmpty()) {
        renewed(event, executor);
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "CAEP audit tap failed on a " + event.type()
          + " event: " + e.getClass().getName());
    }
  }

  private void tokenIssued(AuditEvent event) {
    String ref = event.grantRef();
    if (ref == null || !GrantReference.isWellFormed(ref)) {
      LOG.log(System.Logger.Level.WARNING, "CAEP audit tap: a TOKEN_ISSUED event names no grant "
          + "reference; its token cannot be named in a SET");
      return;
    }
    String tokenId = event.tokenId();
    Instant exp = event.expiresAt();
    if (tokenId == null || exp == null || !readable(tokenId)) {
      // The grant holds a token that cannot be named: its SETs name the grant itself too.
      transmitter.tokens().addUnreadable(ref, exp);
      return;
    }
    transmitter.tokens().add(ref, tokenId, exp);
  }

  private void renewed(AuditEvent event, Executor on) {
    String ref = event.grantRef();
    Instant newExpiry = event.expiresAt();
    if (ref == null || newExpiry == null || !GrantReference.isWellFormed(ref)) {
      LOG.log(System.Logger.Level.WARNING, "CAEP audit tap: a RENEWED event without a grant "
          + "reference or expiry; no token-claims-change sent");
      return;
    }
    String subject = event.subject();
    for (CaepReceiver receiver : receivers) {
      try {
        on.execute(() -> push(receiver, ref, subject, newExpiry));
      } catch (RuntimeException e) { // a rejecting executor loses this push only
        LOG.log(System.Logger.Level.WARNING, "CAEP receiver " + receiver.name()
            + ": token-claims-change for grant " + ref + " not sent, the executor refused it: "
            + e.getClass().getName());
      }
    }
  }

  private static void push(CaepReceiver receiver, String ref, @Nullable String subject,
      Instant newExpiry) {
    Delivery delivery = receiver.tokenClaimsChanged(ref, subject, newExpiry);
    if (!delivery.isAccepted()) {
      LOG.log(System.Logger.Level.WARNING, "CAEP receiver " + receiver.name()
          + ": token-claims-change for grant " + ref + " not delivered: " + delivery);
    }
  }

  /** A token id as {@code jit-jwt} writes it, which an audit event keeps unchanged. */
  private static boolean readable(String tokenId) {
    if (tokenId.isEmpty() || tokenId.length() > MAX_READABLE_TOKEN_ID) {
      return false;
    }
    for (int i = 0; i < tokenId.length(); i++) {
      char c = tokenId.charAt(i);
      boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (!base64url) {
        return false;
      }
    }
    return true;
  }
}
