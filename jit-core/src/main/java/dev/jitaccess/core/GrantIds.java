package dev.jitaccess.core;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Makes grant ids: 128 bits from a per-thread DRBG, URL-safe base64 without padding. */
final class GrantIds {
  static final int BYTES = 16;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(GrantIds::random);

  private GrantIds() {}

  static String next() {
    byte[] bytes = new byte[BYTES];
    RANDOM.get().nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }

  private static SecureRandom random() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
