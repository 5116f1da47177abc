package dev.jitaccess.governance;

import dev.jitaccess.internal.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which live grants an {@link ExposureReport} shows, and how it groups them. Every filter is
 * optional and they all must match: an exact owner, tier and subject, a smell the grant has, and a
 * minimum age. {@link #all()} shows every live grant, ungrouped.
 *
 * <p>Written as text ({@link #parse}, and {@link #toString()} gives it back), it is a list of
 * {@code key=value} filters separated by white space, each key at most once:
 *
 * <pre>{@code owner=team-a tier=HIGH groupBy=owner smell=RENEWED_OFTEN minAge=2h}</pre>
 *
 * <p>Keys: {@code owner}, {@code tier}, {@code subject} (names, exactly as stored), {@code smell}
 * (an {@link ExposureSmell}), {@code minAge} (an ISO-8601 duration such as {@code PT2H}, or a
 * whole number with {@code s}, {@code m}, {@code h} or {@code d}), {@code groupBy} ({@code owner},
 * {@code tier} or {@code subject}). Smell and groupBy values are read without regard to case.
 *
 * <p>Immutable and thread-safe.
 */
public final class ExposureQuery {
  /** How a report groups its rows. */
  public enum GroupBy {
    /** By the grant's owner. */
    OWNER,
    /** By the grant's risk tier ({@code -} for a grant without one). */
    TIER,
    /** By the grant's subject. */
    SUBJECT;

    /** The key of {@code row}'s group. */
    String keyOf(ExposureRow row) {
      switch (this) {
        case OWNER:
          return row.owner();
        case TIER:
          String tier = row.tier();
          return tier == null ? "-" : tier;
        default:
          return row.subject();
      }
    }
  }

  private static final List<String> KEYS =
      List.of("owner", "tier", "subject", "smell", "minAge", "groupBy");
  private static final ExposureQuery ALL = new Builder().build();

  private final @Nullable String owner;
  private final @Nullable String tier;
  private final @Nullable String subject;
  private final @Nullable ExposureSmell smell;
  private final Duration minAge;
  private final @Nullable GroupBy groupBy;

  private ExposureQuery(Builder b) {
    this.owner = b.owner;
    this.tier = b.tier;
    this.subject = b.subject;
    this.smell = b.smell;
    this.minAge = b.minAge;
    this.groupBy = b.groupBy;
  }

  /** Every live grant, ungrouped. */
  public static ExposureQuery all() {
    return ALL;
  }

  /** A builder with no filter and no grouping. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The query written as {@code text}; blank text is {@link #all()}.
   *
   * @throws IllegalArgumentException naming the filter and the rule: a token that is not {@code
   *     key=value}, an unknown key, a key given twice, a missing or malformed value
   */
  public static ExposureQuery parse(String text) {
    Objects.requireNonNull(text, "query must not be null");
    Builder b = new Builder();
    Set<String> seen = new LinkedHashSet<>();
    for (String token : text.strip().split("\\s+")) {
      if (token.isEmpty()) {
        continue;
      }
      int eq = token.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("filter " + quoted(token)
            + " must be written key=value, with a key from " + KEYS);
      }
      String key = token.substring(0, eq);
      String value = token.substring(eq + 1);
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException("filter " + quoted(key)
            + " is unknown: the filters are " + KEYS);
      }
      if (!seen.add(key)) {
        throw new IllegalArgumentException("filter " + key
            + " is given twice: each filter may be given once");
      }
      if (value.isEmpty()) {
        throw new IllegalArgumentException("filter " + key + " must have a value after '='");
      }
      set(b, key, value);
    }
    return b.build();
  }

  private static void set(Builder b, String key, String value) {
    switch (key) {
      case "owner":
        b.owner(value);
        break;
      case "tier":
        b.tier(value);
        break;
      case "subject":
        b.subject(value);
        break;
      case "smell":
        b.smell(constant(ExposureSmell.class, ExposureSmell.values(), key, value));
        break;
      case "minAge":
        b.minAge(duration(value));
        break;
      default:
        b.groupBy(constant(GroupBy.class, GroupBy.values(), key, value));
        break;
    }
  }

  private static <E extends Enum<E>> E constant(Class<E> type, E[] values, String key,
      String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("filter " + key + " must be one of "
          + Arrays.toString(values) + ", was " + quoted(value), unknown);
    }
  }

  /** {@code PT2H}, or a whole number and a unit: {@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}. */
  private static Duration duration(String value) {
    Duration d = Durations.parse(value);
    if (d == null) {
      throw new IllegalArgumentException("filter minAge must be an ISO-8601 duration (PT2H) or a "
          + "whole number with s, m, h or d (2h), was " + quoted(value));
    }
    return d;
  }


  private static String quoted(String s) {
    String shown = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    StringBuilder out = new StringBuilder("'");
    shown.codePoints().forEach(c -> out.append(Character.isISOControl(c)
        || Character.getType(c) == Character.FORMAT ? "?" : new String(Character.toChars(c))));
    return out.append('\'').toString();
  }

  /** The owner a grant must have, or null for any. */
  public @Nullable String owner() {
    return owner;
  }

  /** The tier a grant must be in, or null for any. */
  public @Nullable String tier() {
    return tier;
  }

  /** The subject a grant must have, or null for any. */
  public @Nullable String subject() {
    return subject;
  }

  /** The smell a grant must have, or null for any. */
  public @Nullable ExposureSmell smell() {
    return smell;
  }

  /** The age a grant must have at least ({@link Duration#ZERO} for any). */
  public Duration minAge() {
    return minAge;
  }

  /** How the report groups its rows, or null for not at all. */
  public @Nullable GroupBy groupBy() {
    return groupBy;
  }

  /** Whether a row passes the owner, tier, subject and age filters (not the smell). */
  boolean admits(String rowOwner, @Nullable String rowTier, String rowSubject, Duration age) {
    return (owner == null || owner.equals(rowOwner)) && (tier == null || tier.equals(rowTier))
        && (subject == null || subject.equals(rowSubject)) && age.compareTo(minAge) >= 0;
  }

  /**
   * The query as {@link #parse} reads it (unless a name holds white space, which only the builder
   * can set); empty for {@link #all()}.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    append(s, "owner", owner);
    append(s, "tier", tier);
    append(s, "subject", subject);
    append(s, "smell", smell == null ? null : smell.name());
    append(s, "minAge", minAge.isZero() ? null : minAge.toString());
    append(s, "groupBy", groupBy == null ? null : groupBy.name().toLowerCase(Locale.ROOT));
    return s.toString();
  }

  private static void append(StringBuilder s, String key, @Nullable String value) {
    if (value != null) {
      s.append(s.length() == 0 ? "" : " ").append(key).append('=').append(value);
    }
  }

  /** Whether {@code o} is a query with the same filters and grouping. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ExposureQuery)) {
      return false;
    }
    ExposureQuery q = (ExposureQuery) o;
    return Objects.equals(owner, q.owner) && Objects.equals(tier, q.tier)
        && Objects.equals(subject, q.subject) && smell == q.smell && minAge.equals(q.minAge)
        && groupBy == q.groupBy;
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, tier, subject, smell, minAge, groupBy);
  }

  /** Builds an {@link ExposureQuery}. Each setter may be called once. Not thread-safe. */
  public static final class Builder {
    private @Nullable String owner;
    private @Nullable String tier;
    private @Nullable String subject;
    private @Nullable ExposureSmell smell;
    private Duration minAge = Duration.ZERO;
    private boolean minAgeSet;
    private @Nullable GroupBy groupBy;

    private Builder() {}

    private static <T> T once(@Nullable Object current, T value, String filter) {
      if (current != null) {
        throw new IllegalStateException("filter " + filter + " was already set");
      }
      return Objects.requireNonNull(value, () -> "filter " + filter + " must not be null");
    }

    /** Only grants of this owner. */
    public Builder owner(String owner) {
      this.owner = Names.check(once(this.owner, owner, "owner"), "filter owner");
      return this;
    }

    /** Only grants in this tier. */
    public Builder tier(String tier) {
      this.tier = Names.check(once(this.tier, tier, "tier"), "filter tier");
      return this;
    }

    /** Only grants of this subject. */
    public Builder subject(String subject) {
      this.subject = Names.check(once(this.subject, subject, "subject"), "filter subject");
      return this;
    }

    /** Only grants with this smell. */
    public Builder smell(ExposureSmell smell) {
      this.smell = once(this.smell, smell, "smell");
      return this;
    }

    /**
     * Only grants at least this old.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder minAge(Duration minAge) {
      if (minAgeSet) {
        throw new IllegalStateException("filter minAge was already set");
      }
      Objects.requireNonNull(minAge, "filter minAge must not be null");
      if (minAge.isNegative()) {
        throw new IllegalArgumentException("filter minAge must be >= 0, was " + minAge);
      }
      this.minAge = minAge;
      minAgeSet = true;
      return this;
    }

    /** Groups the rows. */
    public Builder groupBy(GroupBy groupBy) {
      this.groupBy = once(this.groupBy, groupBy, "groupBy");
      return this;
    }

    /** The query. */
    public ExposureQuery build() {
      return new ExposureQuery(this);
    }
  }
}
