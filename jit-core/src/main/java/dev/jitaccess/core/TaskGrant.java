package dev.jitaccess.core;

import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import java.util.Objects;

/**
 * A grant tied to a block of code: closing it ends the grant's task ({@link JitAccess#revokeTask})
 * with {@link RevocationReason#TASK_COMPLETED}, so access ends exactly when the task does, and the
 * task accepts no new grant.
 *
 * <pre>{@code
 * try (TaskGrant task = jit.open(request)) {
 *   task.require("write", "exports/2026-11/report.csv");
 *   exporter.run();
 * } // revoked here, also when exporter.run() throws
 * }</pre>
 *
 * <p>Call {@link #fail()} to end it with {@link RevocationReason#TASK_FAILED} instead. Thread-safe.
 */
public final class TaskGrant implements AutoCloseable {
  private final JitAccess jit;
  private final Grant grant;

  TaskGrant(JitAccess jit, Grant grant) {
    this.jit = Objects.requireNonNull(jit);
    this.grant = Objects.requireNonNull(grant);
  }

  /** The grant as it was minted. */
  public Grant grant() {
    return grant;
  }

  /** The grant's id. */
  public String id() {
    return grant.id();
  }

  /** Checks {@code action} on {@code resource} under this grant. */
  public Decision check(String action, String resource) {
    return jit.check(grant.id(), action, resource);
  }

  /**
   * Requires {@code action} on {@code resource} under this grant.
   *
   * @throws dev.jitaccess.AccessDeniedException if the check denies
   */
  public void require(String action, String resource) {
    jit.require(grant.id(), action, resource);
  }

  /**
   * Ends the task now with {@link RevocationReason#TASK_FAILED}; closing later ends nothing more.
   */
  public void fail() {
    jit.revokeTask(grant.task(), RevocationReason.TASK_FAILED);
  }

  /** Ends the task with {@link RevocationReason#TASK_COMPLETED}; its ended grants stay as they are. */
  @Override
  public void close() {
    jit.revokeTask(grant.task(), RevocationReason.TASK_COMPLETED);
  }
}
