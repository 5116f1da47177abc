package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Builders refuse what is missing, set twice or out of bounds, naming the field and the rule. */
class BuilderValidationTest {
  private final Rig rig = new Rig();

  @AfterEach
  void close() throws Exception {
    rig.close();
  }

  private static String message(Class<? extends Throwable> type,
      org.junit.jupiter.api.function.Executable call) {
    return assertThrows(type, call).getMessage();
  }

  @Test
  void aTransmitterNeedsAnIssuerAndAKeyRingOrASigner() {
    assertEquals("issuer must be set", message(NullPointerException.class,
        () -> CaepTransmitter.builder().build()));
    assertEquals("exactly one of keyRing and signer must be set",
        message(IllegalStateException.class,
        () -> CaepTransmitter.builder().issuer("https://jit.example.com").build()));
  }

  @Test
  void theTokenIssuerDefaultsToTheIssuer() {
    CaepTransmitter t = CaepTransmitter.builder().issuer("https://jit.example.com")
        .signer(SetSigner.fromKey(Rig.ecKey("k"))).build();
    assertEquals("https://jit.example.com", t.tokenIssuer());
  }

  @Test
  void aTransmitterSetterMayBeCalledOnce() {
    CaepTransmitter.Builder b = CaepTransmitter.builder().issuer("a");
    assertEquals("issuer was already set", message(IllegalStateException.class,
        () -> b.issuer("b")));
    b.tokenRetention(Duration.ofHours(1));
    assertEquals("tokenRetention was already set", message(IllegalStateException.class,
        () -> b.tokenRetention(Duration.ofHours(2))));
  }

  @Test
  void transmitterBoundsAreChecked() {
    assertEquals("tokenRetention must be > PT0S and <= PT720H, was PT-1S",
        message(IllegalArgumentException.class,
            () -> CaepTransmitter.builder().tokenRetention(Duration.ofSeconds(-1))));
    assertEquals("maxTrackedGrants must be in [1, 10000000], was 0",
        message(IllegalArgumentException.class,
            () -> CaepTransmitter.builder().maxTrackedGrants(0)));
    assertEquals("maxTokensPerGrant must be in [1, 100000], was 100001",
        message(IllegalArgumentException.class,
            () -> CaepTransmitter.builder().maxTokensPerGrant(100_001)));
    assertEquals("issuer must be 1 to 2048 characters and not blank, had 1",
        message(IllegalArgumentException.class, () -> CaepTransmitter.builder().issuer(" ")));
  }

  @Test
  void aReceiverNeedsANameAnEndpointAndAnAudience() {
    assertEquals("name must be set", message(NullPointerException.class,
        () -> CaepReceiver.builder(rig.transmitter).build()));
    assertEquals("endpoint must be set", message(NullPointerException.class,
        () -> CaepReceiver.builder(rig.transmitter).name("r").build()));
    assertEquals("audience must be set", message(NullPointerException.class,
        () -> CaepReceiver.builder(rig.transmitter).name("r")
            .endpoint(URI.create("https://r.example.com/caep")).build()));
  }

  @Test
  void receiverTimeoutsAreBounded() {
    assertEquals("connectTimeout must be > PT0S and <= PT1M, was PT0S",
        message(IllegalArgumentException.class,
            () -> CaepReceiver.builder(rig.transmitter).connectTimeout(Duration.ZERO)));
    assertEquals("requestTimeout must be > PT0S and <= PT1M, was PT2M",
        message(IllegalArgumentException.class,
            () -> CaepReceiver.builder(rig.transmitter).requestTimeout(Duration.ofMinutes(2))));
  }

  @Test
  void aReceiverNameWithAControlCharacterIsRefused() {
    assertEquals("name must not contain control or format characters, had one at offset 3",
        message(IllegalArgumentException.class,
            () -> CaepReceiver.builder(rig.transmitter).name("abc\u202edef")));
  }
}
