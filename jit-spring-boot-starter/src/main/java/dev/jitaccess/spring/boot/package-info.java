/**
 * Spring Boot auto-configuration for JIT Access: one auto-configuration class per concern (the
 * runtime, the PostgreSQL store, the CEL policy, governance, teardown, Actuator), each backing
 * off when the application defines its own beans. See {@code docs/spring-boot.md}.
 */
@NullMarked
package dev.jitaccess.spring.boot;

import org.jspecify.annotations.NullMarked;
