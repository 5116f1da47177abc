package dev.jitaccess.caep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A receiver's URL is https, or http to loopback in tests only; refused when it is built. */
class EndpointValidationTest {
  private final Rig rig = new Rig();

  @AfterEach
  void close() throws Exception {
    rig.close();
  }

  private CaepReceiver.Builder builder(String url) {
    return CaepReceiver.builder(rig.transmitter).name("r").audience(Rig.AUDIENCE)
        .endpoint(URI.create(url));
  }

  private String refusal(CaepReceiver.Builder builder) {
    return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
  }

  @Test
  void anHttpsUrlIsAccepted() {
    CaepReceiver receiver = builder("https://orders.example.com/caep?tenant=1").build();
    assertEquals(URI.create("https://orders.example.com/caep?tenant=1"), receiver.endpoint());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://orders.example.com/caep", "http://127.0.0.1:8080/caep",
      "http://localhost/caep", "HTTP://orders.example.com/caep"})
  void anHttpUrlIsRefusedAtBuildTimeWithoutTheTestFlag(String url) {
    assertTrue(refusal(builder(url)).startsWith("endpoint scheme must be https, was http"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:8080/caep", "http://127.255.0.9/caep",
      "http://localhost:1/caep", "http://LOCALHOST/caep", "http://[::1]:9000/caep"})
  void anHttpUrlToALoopbackHostIsAcceptedWithTheTestFlag(String url) {
    CaepReceiver receiver = builder(url).allowInsecureLocalhostForTests().build();
    assertEquals(URI.create(url), receiver.endpoint());
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://orders.example.com/caep", "http://10.0.0.1/caep",
      "http://128.0.0.1/caep", "http://127.0.0.1.nip.io/caep", "http://localhost.example.com/caep",
      "http://[::2]/caep", "http://0.0.0.0/caep"})
  void anHttpUrlToAnotherHostIsRefusedEvenWithTheTestFlag(String url) {
    assertTrue(refusal(builder(url).allowInsecureLocalhostForTests())
        .contains("not a loopback address"));
  }

  @Test
  void aUrlWithoutAHostIsRefused() {
    // Not an IPv4 address, and not a host name either: java.net.URI finds no host in it.
    assertEquals("endpoint must name a host",
        refusal(builder("http://127.0.0.256/caep").allowInsecureLocalhostForTests()));
  }

  @Test
  void aUrlWithUserInfoIsRefused() {
    assertTrue(refusal(builder("https://user:secret@orders.example.com/caep"))
        .startsWith("endpoint must not carry user info"));
  }

  @Test
  void aUrlWithAFragmentIsRefused() {
    assertTrue(refusal(builder("https://orders.example.com/caep#x"))
        .startsWith("endpoint must not have a fragment"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/caep", "orders.example.com/caep", "mailto:caep@example.com"})
  void aUrlThatIsNotAbsoluteIsRefused(String url) {
    assertTrue(refusal(builder(url)).startsWith("endpoint must be an absolute https URL"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://orders.example.com/caep", "ws://localhost/caep",
      "file://localhost/etc/passwd"})
  void anotherSchemeIsRefused(String url) {
    assertTrue(refusal(builder(url).allowInsecureLocalhostForTests())
        .startsWith("endpoint scheme must be https, was "));
  }

  @Test
  void aRefusalNeverQuotesTheUrl() {
    String message = refusal(builder("http://orders.example.com/caep?key=s3cr3t-value"));
    assertFalse(message.contains("s3cr3t"), message);
    assertFalse(message.contains("orders.example.com"), message);
  }
}
