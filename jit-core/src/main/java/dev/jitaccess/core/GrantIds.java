package dev.jitaccess.core;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes grant ids: 128 bits from a per-thread DRBG, URL-safe base64 without padding. Each thread
 * draws the generator's output in blocks and cuts ids from them: the same generator and the same
 * unpredictability, one generator call per {@value #IDS_PER_BLOCK} ids.
 */
final class GrantIds {
  static final int BYTES = 16;
  static final int IDS_PER_BLOCK = 64;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<Block> BLOCKS = ThreadLocal.withInitial(Block::new);

  private GrantIds() {}

  static String next() {
    return BLOCKS.get().next();
  }

  private static final class Block {
    private final SecureRandom random = random();
    private final byte[] bytes = new byte[BYTES * IDS_PER_BLOCK];
    private int offset = bytes.length;

    String next() {
      if (offset == bytes.length) {
        random.nextBytes(bytes);
        offset = 0;
      }
      byte[] id = new byte[BYTES];
      System.arraycopy(bytes, offset, id, 0, BYTES);
      java.util.Arrays.fill(bytes, offset, offset + BYTES, (byte) 0); // used once, then gone
      offset += BYTES;
      return ENCODER.encodeToString(id);
    }
  }

  private static SecureRandom random() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
