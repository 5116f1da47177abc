package dev.jitaccess.spring.boot.properties;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.io.Resource;

/** {@code jit.policy.*}: the access policy. Without one, requests are approved within the limits. */
public class PolicyProperties {
  /** A policy written in CEL (jit-policy-cel). */
  @NestedConfigurationProperty
  private final Cel cel = new Cel();

  /** The CEL policy ({@code jit.policy.cel.*}). */
  public Cel getCel() {
    return cel;
  }

  /** {@code jit.policy.cel.*}: a CEL policy file (jit-policy-cel on the class path). */
  public static class Cel {
    /** The policy file (YAML, UTF-8, at most 256 KiB), such as classpath:jit-policy.yaml or file:/etc/app/policy.yaml. */
    private @Nullable Resource location;

    /** The policy file; null for none. */
    public @Nullable Resource getLocation() {
      return location;
    }

    /** Sets the policy file. */
    public void setLocation(@Nullable Resource location) {
      this.location = location;
    }
  }
}
