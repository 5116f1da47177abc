package dev.jitaccess.policy.cel;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelVariableResolver;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.WorkloadIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The variables a policy's expressions read, declared with their CEL types, and their values for
 * one decision. Every variable is always bound: what does not apply to a decision (the parent of
 * a top-level request, the context of a renewal) reads as its type's zero value, as unset fields
 * of a protocol buffer do: {@code ''}, {@code 0}, {@code false}, {@code duration('0s')}, {@code
 * timestamp(0)} (the epoch), {@code []} or {@code {}}.
 *
 * <p>Values are computed when an expression first reads them and kept for the rest of the
 * decision, so a policy pays only for what it reads. One instance serves one decision on one
 * thread; not thread-safe.
 */
final class Variables implements CelVariableResolver {
  static final String NOW = "now";
  static final String KIND = "kind";

  private static final CelType STRINGS = ListType.create(SimpleType.STRING);
  private static final CelType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

  /** Every variable and its CEL type, in the order the documentation lists them. */
  static final Map<String, CelType> DECLARATIONS = declarations();

  private static Map<String, CelType> declarations() {
    Map<String, CelType> d = new LinkedHashMap<>();
    d.put(NOW, SimpleType.TIMESTAMP);
    d.put(KIND, SimpleType.STRING);
    for (String name : List.of("subject", "owner", "task", "purpose")) {
      d.put("request." + name, SimpleType.STRING);
    }
    d.put("request.scope", STRINGS);
    d.put("request.actions", STRINGS);
    d.put("request.lifetime", SimpleType.DURATION);
    d.put("request.hardCap", SimpleType.DURATION);
    d.put("request.useBudget", SimpleType.INT);
    for (String name : List.of("justification", "ticket", "tier", "source")) {
      d.put("request." + name, SimpleType.STRING);
    }
    d.put("request.attributes", DYN_MAP);
    d.put("identity.verified", SimpleType.BOOL);
    d.put("identity.subject", SimpleType.STRING);
    d.put("identity.issuer", SimpleType.STRING);
    d.put("identity.expiresAt", SimpleType.TIMESTAMP);
    d.put("identity.claims", DYN_MAP);
    for (String name : List.of("subject", "owner", "task")) {
      d.put("parent." + name, SimpleType.STRING);
    }
    d.put("parent.scope", STRINGS);
    d.put("parent.expiresAt", SimpleType.TIMESTAMP);
    d.put("grant.issuedAt", SimpleType.TIMESTAMP);
    d.put("grant.expiresAt", SimpleType.TIMESTAMP);
    d.put("grant.notAfter", SimpleType.TIMESTAMP);
    return Collections.unmodifiableMap(d);
  }

  private final Instant now;
  private final String kind;
  private final String subject;
  private final String owner;
  private final String task;
  private final String purpose;
  private final Scope scope;
  private final Duration lifetime;
  private final Duration hardCap;
  private final long useBudget;
  private final RequestContext context;
  private final @Nullable Grant parent;
  private final @Nullable Grant renewed;

  private @Nullable List<String> scopeList;
  private @Nullable Map<String, Object> claims;

  private Variables(Instant now, String kind, String subject, String owner, String task,
      String purpose, Scope scope, Duration lifetime, Duration hardCap, long useBudget,
      RequestContext context, @Nullable Grant parent, @Nullable Grant renewed) {
    this.now = now;
    this.kind = kind;
    this.subject = subject;
    this.owner = owner;
    this.task = task;
    this.purpose = purpose;
    this.scope = scope;
    this.lifetime = lifetime;
    this.hardCap = hardCap;
    this.useBudget = useBudget;
    this.context = context;
    this.parent = parent;
    this.renewed = renewed;
  }

  /** The variables of a request, or of a delegation if {@code parent} is set. */
  static Variables ofRequest(GrantRequest request, @Nullable Grant parent, Instant now) {
    Duration cap = request.ttl().hardCap();
    return new Variables(now, parent == null ? "request" : "delegation", request.subject(),
        request.owner(), request.task(), request.purpose(), request.scope(),
        request.ttl().lifetime(), cap == null ? Duration.ZERO : cap,
        request.useBudget().orElse(0), request.context(), parent, null);
  }

  /** The variables of the renewal of {@code grant} by {@code extension}. */
  static Variables ofRenewal(Grant grant, Duration extension, Instant now) {
    return new Variables(now, "renewal", grant.subject(), grant.owner(), grant.task(),
        grant.purpose(), grant.scope(), extension,
        Duration.between(grant.issuedAt(), grant.notAfter()), grant.useBudget().orElse(0),
        RequestContext.empty(), null, grant);
  }

  @Override
  public Optional<Object> find(String name) {
    return Optional.ofNullable(value(name));
  }

  /** The value of a declared variable; null for a name that is not declared. */
  @Nullable Object value(String name) {
    switch (name) {
      case NOW: return now;
      case KIND: return kind;
      case "request.subject": return subject;
      case "request.owner": return owner;
      case "request.task": return task;
      case "request.purpose": return purpose;
      case "request.scope": return scopeList();
      case "request.actions": return actions(scopeList());
      case "request.lifetime": return lifetime;
      case "request.hardCap": return hardCap;
      case "request.useBudget": return useBudget;
      case "request.justification": return context.justification().orElse("");
      case "request.ticket": return context.ticket().orElse("");
      case "request.tier": return context.tier().orElse("");
      case "request.source": return context.source().orElse("");
      case "request.attributes": return context.attributes();
      default: return other(name);
    }
  }

  private @Nullable Object other(String name) {
    Optional<WorkloadIdentity> identity = context.identity();
    Grant p = parent;
    Grant r = renewed;
    switch (name) {
      case "identity.verified": return identity.isPresent();
      case "identity.subject": return identity.map(WorkloadIdentity::subject).orElse("");
      case "identity.issuer": return identity.map(WorkloadIdentity::issuer).orElse("");
      case "identity.expiresAt": return identity.map(WorkloadIdentity::expiresAt)
          .orElse(Instant.EPOCH);
      case "identity.claims": return claims(identity);
      case "parent.subject": return p == null ? "" : p.subject();
      case "parent.owner": return p == null ? "" : p.owner();
      case "parent.task": return p == null ? "" : p.task();
      case "parent.scope": return p == null ? List.of() : strings(p.scope());
      case "parent.expiresAt": return p == null ? Instant.EPOCH : p.expiresAt();
      case "grant.issuedAt": return r == null ? Instant.EPOCH : r.issuedAt();
      case "grant.expiresAt": return r == null ? Instant.EPOCH : r.expiresAt();
      case "grant.notAfter": return r == null ? Instant.EPOCH : r.notAfter();
      default: return null;
    }
  }

  private List<String> scopeList() {
    List<String> list = scopeList;
    if (list == null) {
      list = strings(scope);
      scopeList = list;
    }
    return list;
  }

  private Map<String, Object> claims(Optional<WorkloadIdentity> identity) {
    Map<String, Object> c = claims;
    if (c == null) {
      c = identity.isPresent() ? Values.claims(identity.get().claims()) : Map.of();
      claims = c;
    }
    return c;
  }

  /**
   * A scope's permissions in canonical form ({@code action:resource}), sorted: its canonical
   * text, in which single spaces separate permissions that hold none.
   */
  static List<String> strings(Scope scope) {
    return List.of(scope.toString().split(" "));
  }

  /** The distinct actions of permissions in canonical form, sorted. */
  private static List<String> actions(List<String> permissions) {
    TreeSet<String> actions = new TreeSet<>();
    for (String p : permissions) {
      actions.add(p.substring(0, p.indexOf(':')));
    }
    return List.copyOf(actions);
  }
}
