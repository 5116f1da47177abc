/**
 * The {@code jit.*} configuration properties of the Spring Boot starter: {@link
 * dev.jitaccess.spring.boot.properties.JitProperties} and its groups. Each group checks its rules
 * when bound; a broken rule fails the application's start with a message naming the property.
 */
@NullMarked
package dev.jitaccess.spring.boot.properties;

import org.jspecify.annotations.NullMarked;
