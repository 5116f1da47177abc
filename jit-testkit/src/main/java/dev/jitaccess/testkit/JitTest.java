package dev.jitaccess.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class (or method) with {@link JitExtension} at its defaults: every test gets a fresh
 * {@link dev.jitaccess.testkit.time.FakeClock}, a {@link dev.jitaccess.core.JitAccess} wired to
 * it, a {@link RecordingAuditSink} and a {@link RecordingRevocationListener}, injected as
 * parameters, and fails if it leaves an ACTIVE grant behind.
 *
 * <pre>{@code
 * @JitTest
 * class ExportJobTest {
 *   @Test
 *   void grantEndsWithTheJob(JitAccess jit, FakeClock clock, RecordingAuditSink audit) { ... }
 * }
 * }</pre>
 *
 * <p>For other settings, register the extension with {@code @RegisterExtension} and {@link
 * JitExtension#builder()} instead (not both: a test with both fails, naming the cause).
 * Annotations are immutable and thread-safe.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(JitExtension.class)
public @interface JitTest {}
