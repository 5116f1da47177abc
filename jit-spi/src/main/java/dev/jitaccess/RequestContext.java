package dev.jitaccess;

import dev.jitaccess.internal.Validation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who asks for a grant, from where, and why: what an {@link dev.jitaccess.spi.AccessPolicy} sees
 * beside the request itself, so that policy as code can decide on it.
 *
 * <ul>
 *   <li>{@link #identity()}: the {@link WorkloadIdentity} an {@link
 *       dev.jitaccess.spi.IdentityVerifier} verified ({@code requestAs} fills it), with its issuer
 *       and claims. Absent when the caller named the subject itself.
 *   <li>{@link #justification()}: why, in the requester's words; {@link #ticket()}: a ticket or
 *       change reference; {@link #tier()}: the name of a risk tier; {@link #requestId()}: the
 *       access request the grant is minted for (set by an approval workflow such as {@code
 *       jit-governance} when it activates a request; a grant records its tier and request).
 *   <li>{@link #source()}: where the request came from (an address or a client id).
 *   <li>{@link #attributes()}: typed values for policies: {@code String}, {@code Long}, {@code
 *       Double}, {@code Boolean} or {@code List<String>}.
 * </ul>
 *
 * <p>Bounded: at most {@value #MAX_ATTRIBUTES} attributes, names of at most {@value
 * #MAX_NAME_LENGTH} characters ({@code [A-Za-z_][A-Za-z0-9_.-]*}), lists of at most {@value
 * #MAX_LIST_SIZE} strings, every string at most 1,024 characters and free of control, line
 * separator and bidirectional characters; justification, ticket, tier and source are checked the
 * same way. Audit events of issued grants carry the justification, ticket, tier and request.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class RequestContext {
  /** The most attributes a context holds. */
  public static final int MAX_ATTRIBUTES = 64;
  /** The longest attribute name. */
  public static final int MAX_NAME_LENGTH = 64;
  /** The most strings an attribute's list holds. */
  public static final int MAX_LIST_SIZE = 64;

  private static final RequestContext EMPTY = new Builder().build();

  private final @Nullable WorkloadIdentity identity;
  private final @Nullable String justification;
  private final @Nullable String ticket;
  private final @Nullable String tier;
  private final @Nullable String requestId;
  private final @Nullable String source;
  private final Map<String, Object> attributes;

  private RequestContext(Builder b) {
    this.identity = b.identity;
    this.justification = b.justification;
    this.ticket = b.ticket;
    this.tier = b.tier;
    this.requestId = b.requestId;
    this.source = b.source;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
  }

  /** A context with nothing in it. */
  public static RequestContext empty() {
    return EMPTY;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this context's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.identity = identity;
    b.justification = justification;
    b.ticket = ticket;
    b.tier = tier;
    b.requestId = requestId;
    b.source = source;
    b.attributes.putAll(attributes);
    return b;
  }

  /** The verified identity of the requester, if an identity verifier was used. */
  public Optional<WorkloadIdentity> identity() {
    return Optional.ofNullable(identity);
  }

  /** Why, in the requester's words. */
  public Optional<String> justification() {
    return Optional.ofNullable(justification);
  }

  /** A ticket or change reference. */
  public Optional<String> ticket() {
    return Optional.ofNullable(ticket);
  }

  /** The name of a risk tier. */
  public Optional<String> tier() {
    return Optional.ofNullable(tier);
  }

  /** The id of the access request the grant is minted for. */
  public Optional<String> requestId() {
    return Optional.ofNullable(requestId);
  }

  @Nullable String requestIdOrNull() {
    return requestId;
  }

  @Nullable String justificationOrNull() {
    return justification;
  }

  @Nullable String ticketOrNull() {
    return ticket;
  }

  @Nullable String tierOrNull() {
    return tier;
  }

  @Nullable String sourceOrNull() {
    return source;
  }

  /** Where the request came from: an address or a client id. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** The typed attributes, in the order they were set; unmodifiable. */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /** Whether nothing is set. */
  public boolean isEmpty() {
    return identity == null && justification == null && ticket == null && tier == null
        && requestId == null && source == null && attributes.isEmpty();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RequestContext)) {
      return false;
    }
    RequestContext c = (RequestContext) o;
    return Objects.equals(identity, c.identity) && Objects.equals(justification, c.justification)
        && Objects.equals(ticket, c.ticket) && Objects.equals(tier, c.tier)
        && Objects.equals(requestId, c.requestId) && Objects.equals(source, c.source) && attributes.equals(c.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(identity, justification, ticket, tier, requestId, source, attributes);
  }

  /** The fields that are set; the identity by subject and issuer only, attributes by name only. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("RequestContext[");
    String sep = "";
    if (identity != null) {
      b.append("identity=").append(identity.subject()).append(" from ").append(identity.issuer());
      sep = ", ";
    }
    if (justification != null) {
      b.append(sep).append("justification=").append(justification);
      sep = ", ";
    }
    if (ticket != null) {
      b.append(sep).append("ticket=").append(ticket);
      sep = ", ";
    }
    if (tier != null) {
      b.append(sep).append("tier=").append(tier);
      sep = ", ";
    }
    if (requestId != null) {
      b.append(sep).append("requestId=").append(requestId);
      sep = ", ";
    }
    if (source != null) {
      b.append(sep).append("source=").append(source);
      sep = ", ";
    }
    if (!attributes.isEmpty()) {
      b.append(sep).append("attributes=").append(attributes.keySet());
    }
    return b.append(']').toString();
  }

  /** Builds a {@link RequestContext}. Not thread-safe; {@link #build()} may be called again. */
  public static final class Builder {
    private @Nullable WorkloadIdentity identity;
    private @Nullable String justification;
    private @Nullable String ticket;
    private @Nullable String tier;
    private @Nullable String requestId;
    private @Nullable String source;
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    private Builder() {}

    /** The verified identity of the requester. */
    public Builder identity(WorkloadIdentity identity) {
      this.identity = Objects.requireNonNull(identity, "identity must not be null");
      return this;
    }

    /**
     * Why, in the requester's words.
     *
     * @throws IllegalArgumentException naming the rule, if blank, too long or holding control,
     *     line separator or bidirectional characters
     */
    public Builder justification(String justification) {
      this.justification = Validation.text(justification, "justification");
      return this;
    }

    /** A ticket or change reference; checked as a name (see {@link GrantRequest}). */
    public Builder ticket(String ticket) {
      this.ticket = Validation.name(ticket, "ticket");
      return this;
    }

    /** The name of a risk tier; checked as a name. */
    public Builder tier(String tier) {
      this.tier = Validation.name(tier, "tier");
      return this;
    }

    /** The id of the access request the grant is minted for; checked as a name. */
    public Builder requestId(String requestId) {
      this.requestId = Validation.name(requestId, "requestId");
      return this;
    }

    /** Where the request came from; checked as a name. */
    public Builder source(String source) {
      this.source = Validation.name(source, "source");
      return this;
    }

    /** A string attribute; checked as free text. */
    public Builder attribute(String name, String value) {
      return put(name, Validation.text(value, "attributes." + checkName(name)));
    }

    /** A whole-number attribute. */
    public Builder attribute(String name, long value) {
      return put(checkName(name), value);
    }

    /**
     * A number attribute.
     *
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public Builder attribute(String name, double value) {
      checkName(name);
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(
            "attributes." + name + " must be a finite number, was " + value);
      }
      return put(name, value);
    }

    /** A boolean attribute. */
    public Builder attribute(String name, boolean value) {
      return put(checkName(name), value);
    }

    /**
     * A list-of-strings attribute; each string checked as free text.
     *
     * @throws IllegalArgumentException if the list holds more than {@value #MAX_LIST_SIZE} strings
     */
    public Builder attribute(String name, List<String> values) {
      checkName(name);
      Objects.requireNonNull(values, () -> "attributes." + name + " must not be null");
      if (values.size() > MAX_LIST_SIZE) {
        throw new IllegalArgumentException("attributes." + name + " must hold at most "
            + MAX_LIST_SIZE + " strings, was " + values.size());
      }
      String[] copy = new String[values.size()];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = Validation.text(values.get(i), "attributes." + name + "[" + i + "]");
      }
      return put(name, List.of(copy));
    }

    private Builder put(String name, Object value) {
      if (!attributes.containsKey(name) && attributes.size() >= MAX_ATTRIBUTES) {
        throw new IllegalArgumentException(
            "attributes must hold at most " + MAX_ATTRIBUTES + " entries");
      }
      attributes.put(name, value);
      return this;
    }

    private static String checkName(@Nullable String name) {
      Objects.requireNonNull(name, "attribute name must not be null");
      boolean ok = !name.isEmpty() && name.length() <= MAX_NAME_LENGTH;
      for (int i = 0; ok && i < name.length(); i++) {
        char c = name.charAt(i);
        boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        ok = i == 0 ? letter : letter || (c >= '0' && c <= '9') || c == '.' || c == '-';
      }
      if (!ok) {
        throw new IllegalArgumentException("attribute name must be 1 to " + MAX_NAME_LENGTH
            + " characters [A-Za-z_][A-Za-z0-9_.-]*, was '" + Validation.abbreviate(name) + "'");
      }
      return name;
    }

    /** The context. */
    public RequestContext build() {
      return new RequestContext(this);
    }
  }
}
