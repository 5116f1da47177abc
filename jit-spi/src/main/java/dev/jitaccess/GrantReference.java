package dev.jitaccess;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stable, non-reversible reference of a grant id: what audit events, exception messages, log
 * lines and {@link Grant#toString()} show instead of the id, which is a secret (it is the handle
 * checks are made with).
 *
 * <p>A reference is {@code gr_} followed by 16 URL-safe base64 characters: the first 96 bits of
 * SHA-256 over a fixed label and the id. The same id gives the same reference in every process and
 * on every replica, so a security team can follow one grant through logs, audit events and error
 * reports. The id has 128 random bits, so a reference cannot be turned back into the id, and it is
 * never accepted where an id is: a reference authorises nothing.
 *
 * <p>Any string has a reference, also a malformed id (so that a near-miss id in an exception is
 * not echoed either).
 */
public final class GrantReference {
  /** The characters every reference starts with. */
  public static final String PREFIX = "gr_";

  private static final byte[] LABEL = "dev.jitaccess.grant-reference\0"
      .getBytes(StandardCharsets.US_ASCII);
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  });

  private GrantReference() {}

  /** How long every reference is: the prefix and 16 base64url characters. */
  public static final int LENGTH = PREFIX.length() + 16;

  /**
   * Whether {@code text} has the shape of a reference: {@value #PREFIX} and 16 URL-safe base64
   * characters (96 bits, so every character is significant and a reference has one spelling).
   */
  public static boolean isWellFormed(@Nullable String text) {
    if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < LENGTH; i++) {
      char c = text.charAt(i);
      boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!base64url) {
        return false;
      }
    }
    return true;
  }

  /**
   * The reference of {@code grantId}.
   *
   * @throws NullPointerException if {@code grantId} is null
   */
  public static String of(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    MessageDigest digest = SHA_256.get();
    digest.reset();
    digest.update(LABEL);
    digest.update(grantId.getBytes(StandardCharsets.UTF_8));
    byte[] hash = digest.digest();
    return PREFIX + ENCODER.encodeToString(java.util.Arrays.copyOf(hash, 12));
  }
}
