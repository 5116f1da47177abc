package dev.jitaccess.internal;

import dev.jitaccess.Grant;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Ids in the library's own format: 16 bytes in URL-safe base64 without padding, 22 characters
 * whose last one leaves its low four bits zero. Such an id is a 128-bit number, which a {@link
 * Grant} keeps beside its string so that a lookup can compare two {@code long}s instead of two
 * strings. Not an API.
 */
public final class IdBits {
  /** Characters in an id of the library's format. */
  public static final int LENGTH = 22;

  private static final byte[] DIGIT = new byte[128];
  private static volatile @Nullable Bits bits;

  static {
    Arrays.fill(DIGIT, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      DIGIT[alphabet.charAt(i)] = (byte) i;
    }
  }

  private IdBits() {}

  /** Reads the bits a {@link Grant} keeps; installed by {@code Grant} itself. */
  public interface Bits {
    /** The high 64 bits of the grant's id (0 if the id is not in the library's format). */
    long high(Grant grant);

    /** The low 64 bits of the grant's id (0 if the id is not in the library's format). */
    long low(Grant grant);
  }

  /**
   * Called once, by {@code Grant}'s initializer.
   *
   * @throws IllegalStateException if called again, or by any class but {@code Grant}
   */
  public static synchronized void install(Bits reader) {
    Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
        .getCallerClass();
    if (caller != Grant.class) {
      throw new IllegalStateException("IdBits.Bits is installed by Grant, not " + caller);
    }
    if (bits != null) {
      throw new IllegalStateException("IdBits.Bits is installed once, by Grant");
    }
    bits = Objects.requireNonNull(reader, "reader must not be null");
  }

  /** The high 64 bits of {@code grant}'s id. */
  public static long high(Grant grant) {
    return Objects.requireNonNull(bits).high(grant);
  }

  /** The low 64 bits of {@code grant}'s id. */
  public static long low(Grant grant) {
    return Objects.requireNonNull(bits).low(grant);
  }

  /**
   * The value of one character of the URL-safe alphabet, or -1. A lookup hot path decodes with
   * this itself, so that it allocates nothing.
   */
  public static int digit(char c) {
    return c < 128 ? DIGIT[c] : -1;
  }

  /**
   * The 128 bits of {@code id} as {@code {high, low}}, or null if it is not in the library's
   * format. Accepts exactly the strings {@link java.util.Base64}'s URL-safe encoder without
   * padding produces for 16 bytes.
   */
  public static long @Nullable [] decode(String id) {
    if (id.length() != LENGTH) {
      return null;
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < LENGTH - 1; i++) {
      int d = digit(id.charAt(i));
      if (d < 0) {
        return null;
      }
      hi = (hi << 6) | (lo >>> 58);
      lo = (lo << 6) | d;
    }
    int last = digit(id.charAt(LENGTH - 1));
    if (last < 0 || (last & 0xF) != 0) {
      return null;
    }
    return new long[] {(hi << 2) | (lo >>> 62), (lo << 2) | (last >>> 4)};
  }
}
