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
   * The value of one character of the URL-safe alphabet, or -1 (every bit set) for any other
   * character.
   */
  public static long digit(char c) {
    // -(c >>> 7) is 0 for ASCII and negative otherwise, so a character outside ASCII is never
    // looked up by its low bits.
    return DIGIT[c & 0x7F] | -(long) (c >>> 7);
  }

  /**
   * The ten digits of {@code id} from {@code from}, as 60 bits; negative if any of them is not in
   * the alphabet. Written out as independent terms (a loop with a variable shift measured twice as
   * slow), so the characters are read and combined in parallel. Does not allocate.
   */
  private static long tenDigits(String id, int from) {
    return digit(id.charAt(from)) << 54 | digit(id.charAt(from + 1)) << 48
        | digit(id.charAt(from + 2)) << 42 | digit(id.charAt(from + 3)) << 36
        | digit(id.charAt(from + 4)) << 30 | digit(id.charAt(from + 5)) << 24
        | digit(id.charAt(from + 6)) << 18 | digit(id.charAt(from + 7)) << 12
        | digit(id.charAt(from + 8)) << 6 | digit(id.charAt(from + 9));
  }

  /**
   * Digits 0 to 9 of an id of {@link #LENGTH} characters, as 60 bits; negative if one is not in
   * the alphabet. With {@link #middle} and {@link #last}, the parts {@link #isValid}, {@link
   * #high} and {@link #low} combine: a lookup decodes with these itself, so that it allocates
   * nothing.
   */
  public static long first(String id) {
    return tenDigits(id, 0);
  }

  /** Digits 10 to 19, as {@link #first}. */
  public static long middle(String id) {
    return tenDigits(id, 10);
  }

  /** Digits 20 and 21, as 12 bits, as {@link #first}. */
  public static long last(String id) {
    return digit(id.charAt(20)) << 6 | digit(id.charAt(21));
  }

  /** Whether the three parts are an id: every digit in the alphabet, the unused low bits zero. */
  public static boolean isValid(long first, long middle, long last) {
    return (first | middle | last) >= 0 && (last & 0xF) == 0;
  }

  /** The high 64 bits of the id with these valid parts. */
  public static long high(long first, long middle) {
    return (first << 4) | (middle >>> 56);
  }

  /** The low 64 bits of the id with these valid parts. */
  public static long low(long middle, long last) {
    return (middle << 8) | (last >>> 4);
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
    long first = first(id);
    long middle = middle(id);
    long last = last(id);
    if (!isValid(first, middle, last)) {
      return null;
    }
    return new long[] {high(first, middle), low(middle, last)};
  }
}
