/**
 * A CAEP transmitter for JIT Access: signed Security Event Tokens (RFC 8417) that tell other
 * systems when a grant ends ({@code session-revoked}) or changes ({@code token-claims-change}),
 * pushed over HTTPS (RFC 8935) to receivers that are teardown downstreams ({@link
 * dev.jitaccess.caep.CaepReceiver}), so that delivery goes through the teardown ledger and its
 * retries.
 */
module dev.jitaccess.caep {
  requires transitive dev.jitaccess.jwt;
  requires transitive dev.jitaccess.teardown;
  requires transitive com.nimbusds.jose.jwt;
  requires java.net.http;
  requires static transitive org.jspecify;

  exports dev.jitaccess.caep;
}
