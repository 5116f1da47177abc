package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.Scope;
import dev.jitaccess.internal.IdBits;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

class LiveGrantsTest {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  static String canonical(long hi, long lo) {
    return ENCODER.encodeToString(ByteBuffer.allocate(16).putLong(hi).putLong(lo).array());
  }

  /** Version {@code v} of the grant {@code id}: its expiry moves one second per version. */
  static Grant grant(String id, int version) {
    return Grant.builder().id(id).subject("subject").owner("owner").task("task")
        .purpose("purpose").scope(Scope.parse("read:a")).issuedAt(T0)
        .expiresAt(T0.plusSeconds(60 + version)).notAfter(T0.plusSeconds(1_000_000))
        .version(version).build();
  }

  static int version(Grant grant) {
    return (int) (grant.expiresAt().getEpochSecond() - T0.getEpochSecond() - 60);
  }

  @Test
  void decodesExactlyTheStringsTheUrlSafeEncoderMakesForSixteenBytes() {
    qt().withExamples(2_000).forAll(longs().all(), longs().all()).checkAssert((hi, lo) -> {
      String id = canonical(hi, lo);
      assertArrayEquals(new long[] {hi, lo}, IdBits.decode(id), id);
    });
  }

  @Test
  void anyOtherStringIsNotALibraryId() {
    String id = canonical(0x0123456789abcdefL, 0xfedcba9876543210L);
    assertNotNull(IdBits.decode(id));
    assertNull(IdBits.decode(id.substring(1)), "21 characters");
    assertNull(IdBits.decode(id + "A"), "23 characters");
    assertNull(IdBits.decode(id.substring(0, 21) + "B"), "unused low bits set");
    assertNull(IdBits.decode("+" + id.substring(1)), "standard-alphabet character");
    assertNull(IdBits.decode("\u00e9" + id.substring(1)), "non-ASCII character");
    assertNull(IdBits.decode("=" + id.substring(1)), "padding character");
  }

  @Test
  void aCharacterOutsideTheAlphabetAtAnyPositionIsNeitherAnIdNorTheGrantItsLowBitsSpell() {
    String id = canonical(0, 0); // 22 'A's
    LiveGrants live = new LiveGrants();
    Grant grant = grant(id, 0);
    assertTrue(live.putIfAbsent(grant));
    // Each has low bits that read as 'A' (or another digit) if only they were looked at.
    String[] outside = {"\u00c1", "\u0141", "\uff21", "\u0100", "\u00ff", "\u0080", "+", "/",
        "=", ".", " ", "\u0000"};
    for (int position = 0; position < IdBits.LENGTH; position++) {
      for (String c : outside) {
        String other = id.substring(0, position) + c + id.substring(position + 1);
        String what = "U+" + Integer.toHexString(c.charAt(0)) + " at " + position;
        assertNull(IdBits.decode(other), what);
        assertNull(live.get(other), what);
      }
    }
    assertSame(grant, live.get(new String(id.toCharArray())));
  }

  @Test
  void onlyGrantInstallsTheReaderOfItsIdBits() {
    grant(canonical(1, 1), 0); // Grant is initialized, so its reader is installed
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> IdBits.install(new IdBits.Bits() {
          @Override
          public long high(Grant grant) {
            return 0;
          }

          @Override
          public long low(Grant grant) {
            return 0;
          }
        }));
    assertEquals("IdBits.Bits is installed by Grant, not " + LiveGrantsTest.class,
        e.getMessage());
  }

  @Test
  void aCapacityThatIsNotAPowerOfTwoIsRejected() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new LiveGrants(12));
    assertEquals("capacity must be a power of two >= 2, was 12", e.getMessage());
  }

  @Test
  void idsThatShareTheirHighHalfAreDifferentKeys() {
    LiveGrants live = new LiveGrants(4);
    List<String> ids = new ArrayList<>();
    for (long lo = 0; lo < 50; lo++) {
      ids.add(canonical(7, lo));
      assertTrue(live.putIfAbsent(grant(ids.get((int) lo), 0)));
    }
    for (String id : ids) {
      assertEquals(id, live.get(id).id());
    }
    assertNull(live.get(canonical(7, 50)));
    assertNull(live.get(canonical(8, 0)));
    assertEquals(50, live.size());
  }

  @Test
  void aRemovalRunsItsCallbackBeforeTheGrantLeaves() {
    LiveGrants live = new LiveGrants();
    Grant g = grant(canonical(1, 2), 0);
    live.putIfAbsent(g);
    List<Grant> seenWhilePresent = new ArrayList<>();
    assertTrue(live.replace(g, null, removed -> seenWhilePresent.add(live.get(removed.id()))));
    assertEquals(List.of(g), seenWhilePresent);
    assertNull(live.get(g.id()));
    assertFalse(live.replace(g, null, removed -> seenWhilePresent.add(removed)), "already gone");
    assertEquals(1, seenWhilePresent.size());
    assertTrue(live.putIfAbsent(g), "an id can come back after it left");
    assertSame(g, live.get(g.id()));
  }

  @Test
  void aReaderStillOnAReplacedTableIsSentToTheNewOneAndSeesLaterWrites() {
    LiveGrants live = new LiveGrants(4);
    String id = canonical(42, 43);
    live.putIfAbsent(grant(id, 0));
    Object old = live.currentTable();
    int k = 0;
    while (live.currentTable() == old) {
      live.putIfAbsent(grant(canonical(k, k), 0));
      k++;
    }
    assertTrue(live.replace(grant(id, 0), grant(id, 1), null));
    assertEquals(1, version(live.getStartingAt(old, id)), "stale read from the replaced table");
    assertTrue(live.replace(grant(id, 1), null, null));
    assertNull(live.getStartingAt(old, id), "a removed grant read from the replaced table");
    assertEquals(canonical(0, 0), live.getStartingAt(old, canonical(0, 0)).id());
  }

  @Test
  void aTableEmptiedByRemovalsShrinksBackWithoutWaitingForAnInsert() {
    LiveGrants live = new LiveGrants();
    List<Grant> all = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      all.add(grant(canonical(i, -i), 0));
      live.putIfAbsent(all.get(i));
    }
    assertTrue(live.capacity() >= 16_384, "capacity " + live.capacity());
    for (int i = 0; i < all.size(); i++) {
      assertTrue(live.replace(all.get(i), null, null));
      if (i % 1000 == 0) {
        for (int j = i + 1; j < all.size(); j += 97) {
          assertSame(all.get(j), live.get(all.get(j).id()), "lost by a shrink");
        }
      }
    }
    assertEquals(16, live.capacity());
  }

  @Test
  void churnKeepsTheTableSmallByDroppingTombstones() {
    LiveGrants live = new LiveGrants();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100_000; i++) {
      Grant g = grant(canonical(random.nextLong(), random.nextLong()), 0);
      assertTrue(live.putIfAbsent(g));
      assertTrue(live.replace(g, null, null));
    }
    assertEquals(0, live.size());
    assertTrue(live.capacity() <= 64, "capacity " + live.capacity());
  }

  /**
   * The table against a HashMap model over random operations, on a tiny table (so it grows and
   * drops tombstones often), with library ids that collide on their high half and foreign ids.
   */
  @Test
  void behavesAsAMapOfTheLatestSnapshotUnderAnySequenceOfWrites() {
    qt().withExamples(300).forAll(
        lists().of(integers().between(0, 4 * 40 - 1)).ofSizeBetween(1, 400),
        integers().between(1, 4))
        .checkAssert((ops, capacityLog) -> {
          List<String> ids = new ArrayList<>();
          for (int k = 0; k < 30; k++) {
            ids.add(canonical(k % 3, k * 0x9E3779B97F4A7C15L));
          }
          for (int k = 0; k < 10; k++) {
            ids.add("foreign-" + k);
          }
          LiveGrants live = new LiveGrants(1 << capacityLog);
          Map<String, Grant> model = new HashMap<>();
          for (int op : ops) {
            String id = ids.get(op / 4);
            Grant current = model.get(id);
            switch (op % 4) {
              case 0: {
                Grant g = grant(id, 0);
                assertEquals(current == null, live.putIfAbsent(g), "put " + id);
                model.putIfAbsent(id, g);
                break;
              }
              case 1: {
                Grant expected = current != null ? current : grant(id, 0);
                Grant next = grant(id, version(expected) + 1);
                assertEquals(current != null, live.replace(expected, next, null), "set " + id);
                if (current != null) {
                  model.put(id, next);
                  assertFalse(live.replace(expected, grant(id, 99), null), "stale expected");
                }
                break;
              }
              case 2: {
                Grant expected = current != null ? current : grant(id, 0);
                List<Grant> removed = new ArrayList<>();
                assertEquals(current != null, live.replace(expected, null, removed::add),
                    "remove " + id);
                assertEquals(current != null ? List.of(current) : List.of(), removed);
                model.remove(id);
                break;
              }
              default:
                assertEquals(current, live.get(id), "get " + id);
            }
            for (String each : ids) {
              assertEquals(model.get(each), live.get(each), each);
            }
            assertEquals(model.size(), live.size());
            assertEquals(new HashSet<>(model.values()), new HashSet<>(live.values()));
          }
        });
  }

  /**
   * Readers never miss a present grant and never see a snapshot older than one a returned write
   * replaced, while another thread's inserts and removals make the table grow and rehash.
   */
  @Test
  void readersSeeTheLatestReturnedWriteWhileTheTableRehashes() throws Exception {
    int stable = 512;
    int rounds = 20_000;
    LiveGrants live = new LiveGrants(2);
    String[] ids = new String[stable];
    AtomicLongArray published = new AtomicLongArray(stable);
    for (int k = 0; k < stable; k++) {
      ids[k] = canonical(k, ~k);
      live.putIfAbsent(grant(ids[k], 0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch start = new CountDownLatch(1);
    try {
      Future<?> churn = pool.submit(() -> {
        start.await();
        SplittableRandom random = new SplittableRandom(2);
        List<Grant> extra = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          Grant g = grant(canonical(random.nextLong(), random.nextLong()), 0);
          live.putIfAbsent(g);
          extra.add(g);
          if (extra.size() > 2_000 || random.nextInt(3) == 0) {
            Grant gone = extra.remove(random.nextInt(extra.size()));
            assertTrue(live.replace(gone, null, null));
          }
        }
        return null;
      });
      Future<?> writer = pool.submit(() -> {
        start.await();
        SplittableRandom random = new SplittableRandom(3);
        for (int r = 0; r < rounds; r++) {
          int k = random.nextInt(stable);
          Grant current = live.get(ids[k]);
          assertTrue(live.replace(current, grant(ids[k], version(current) + 1), null));
          published.set(k, version(current) + 1);
        }
        return null;
      });
      List<Future<Long>> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int seed = t;
        readers.add(pool.submit(() -> {
          start.await();
          SplittableRandom random = new SplittableRandom(10 + seed);
          long reads = 0;
          while (!done.get()) {
            int k = random.nextInt(stable);
            long floor = published.get(k);
            Grant seen = live.get(ids[k]);
            assertNotNull(seen, "missed a present grant");
            assertTrue(version(seen) >= floor,
                "read version " + version(seen) + " after version " + floor + " was stored");
            reads++;
          }
          return reads;
        }));
      }
      start.countDown();
      churn.get(60, TimeUnit.SECONDS);
      writer.get(60, TimeUnit.SECONDS);
      done.set(true);
      for (Future<Long> reader : readers) {
        assertTrue(reader.get(60, TimeUnit.SECONDS) > 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
