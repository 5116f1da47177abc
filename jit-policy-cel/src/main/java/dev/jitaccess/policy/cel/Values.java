package dev.jitaccess.policy.cel;

import dev.cel.common.values.NullValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns the claims of a verified identity (JDK types, as a JWT library hands them over) into the
 * values CEL reads: strings, {@code int} (Java {@code long}), {@code double}, {@code bool},
 * {@code timestamp}, {@code null}, lists and maps with string keys. Whole numbers that fit in a
 * {@code long} become {@code int}, every other number {@code double}; a {@link Date} or {@link
 * Instant} becomes a timestamp; anything else its {@code toString()}. Claims nested deeper than
 * {@value #MAX_DEPTH} levels are refused, which denies (fail closed).
 */
final class Values {
  /** The deepest nesting of lists and maps in claims. */
  static final int MAX_DEPTH = 16;

  private Values() {}

  static Map<String, Object> claims(Map<String, Object> claims) {
    return map(claims, 1);
  }

  private static Map<String, Object> map(Map<?, ?> map, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("identity claims are nested deeper than " + MAX_DEPTH);
    }
    Map<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> e : map.entrySet()) {
      copy.put(String.valueOf(e.getKey()), value(e.getValue(), depth));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object value(@Nullable Object v, int depth) {
    if (v == null) {
      return NullValue.NULL_VALUE;
    }
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double
        || v instanceof Instant) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger && ((BigInteger) v).bitLength() < Long.SIZE) {
      return ((BigInteger) v).longValue();
    }
    if (v instanceof BigDecimal) {
      BigDecimal d = (BigDecimal) v;
      try {
        return d.longValueExact();
      } catch (ArithmeticException notWhole) {
        return d.doubleValue();
      }
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof Date) {
      return ((Date) v).toInstant();
    }
    if (v instanceof Map) {
      return map((Map<?, ?>) v, depth + 1);
    }
    if (v instanceof Collection) {
      if (depth + 1 > MAX_DEPTH) {
        throw new IllegalArgumentException("identity claims are nested deeper than " + MAX_DEPTH);
      }
      Collection<?> c = (Collection<?>) v;
      List<Object> list = new ArrayList<>(c.size());
      for (Object element : c) {
        list.add(value(element, depth + 1));
      }
      return Collections.unmodifiableList(list);
    }
    return v.toString();
  }
}
