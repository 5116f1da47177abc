package dev.jitaccess.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Turns off {@link JitExtension}'s standing-access check for one test method, or for every test of
 * a class (including its {@code @Nested} classes): grants still ACTIVE when the test ends do not
 * fail it. Use it for tests that are about long-lived grants, and say why in {@link #value()}: a
 * blank reason fails the test.
 *
 * <p>Annotations are immutable and thread-safe.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AllowStandingAccess {
  /** Why the test may leave grants ACTIVE; required, and not blank. */
  String value();
}
