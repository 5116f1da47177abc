/**
 * Testing with JIT Access: {@link dev.jitaccess.testkit.JitTest} and {@link
 * dev.jitaccess.testkit.JitExtension} for tests of code that uses the runtime, {@link
 * dev.jitaccess.testkit.GrantAssert} and {@link dev.jitaccess.testkit.AuditTrailAssert} for
 * readable failures, and the {@code *CompatibilityKit} classes for implementers of the SPI.
 */
@NullMarked
package dev.jitaccess.testkit;

import org.jspecify.annotations.NullMarked;
