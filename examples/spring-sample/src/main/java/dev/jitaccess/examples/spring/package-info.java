/**
 * A Spring Boot application on the JIT Access starter: an orders API whose handlers need a grant
 * ({@code @RequiresGrant}), a reports API guarded by the starter's route-map filter, the console
 * at {@code /jit-console} behind form login, the {@code jitaccess} Actuator endpoint, and grants
 * kept in an embedded PostgreSQL that the application starts itself. Run it with {@code mvn -B
 * -q -pl examples/spring-sample -am compile exec:java} from the repository's root.
 */
@NullMarked
package dev.jitaccess.examples.spring;

import org.jspecify.annotations.NullMarked;
