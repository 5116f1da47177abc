package dev.jitaccess.console;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Governance;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Revokes one grant, named by its reference ({@code gr_...}), or ends a whole task, through the
 * governance's runtime, which audits the revocation with its reason code. A reason code from
 * {@link #REASONS} and a note are required; the console logs who revoked what with the note
 * (grants by reference), since the runtime's audit event carries the reason code only. The
 * grant's id is looked up on the server and never reaches the page.
 */
@Controller
@RequestMapping("${" + ConsoleSettings.PATH + ":" + ConsoleSettings.DEFAULT_PATH + "}")
final class RevocationController {
  /** The reason codes a person may give. */
  static final List<String> REASONS = List.of(RevocationReason.MANUAL.code(),
      RevocationReason.ANOMALY.code(), RevocationReason.TASK_COMPLETED.code(),
      RevocationReason.TASK_FAILED.code());

  private static final Logger LOG = LoggerFactory.getLogger(RevocationController.class);

  private final JitAccess access;
  private final ConsoleGate gate;

  RevocationController(Governance governance, ConsoleGate gate) {
    this.access = governance.access();
    this.gate = gate;
  }

  @PostMapping("/grants/revoke")
  ResponseEntity<String> revokeGrant(HttpServletRequest request,
      @RequestParam(name = "reference", required = false) @Nullable String reference,
      @RequestParam(name = "reason", required = false) @Nullable String reason,
      @RequestParam(name = "note", required = false) @Nullable String note) {
    return gate.action(request, "/exposure", actor -> {
      String ref = Forms.required(reference, "Grant reference", 64);
      if (!GrantReference.isWellFormed(ref)) {
        throw new ConsoleInputException("Grant reference must be gr_ followed by 16 letters, "
            + "digits, - or _.");
      }
      RevocationReason code = reason(reason);
      String why = Forms.required(note, "A note on why", 1000);
      Optional<Grant> grant = access.grantByReference(ref);
      if (grant.isEmpty()) {
        throw new ConsoleInputException("No grant has reference " + ref + ".");
      }
      boolean ended = access.revoke(grant.get().id(), code);
      if (!ended) {
        return "Grant " + ref + " had already ended; nothing changed.";
      }
      LOG.info("console: {} revoked grant {} ({}): {}", actor, ref, code, why);
      return "You revoked grant " + ref + " (" + code + ").";
    });
  }

  @PostMapping("/tasks/revoke")
  ResponseEntity<String> revokeTask(HttpServletRequest request,
      @RequestParam(name = "task", required = false) @Nullable String task,
      @RequestParam(name = "reason", required = false) @Nullable String reason,
      @RequestParam(name = "note", required = false) @Nullable String note) {
    return gate.action(request, "/exposure", actor -> {
      String name = Forms.required(task, "Task", 200);
      RevocationReason code = reason(reason);
      String why = Forms.required(note, "A note on why", 1000);
      int ended = access.revokeTask(name, code);
      LOG.info("console: {} ended task {} ({}), {} grant(s) revoked: {}", actor, name, code,
          ended, why);
      return "You ended task " + name + " (" + code + "): " + ended + " grant(s) revoked; the "
          + "task accepts no new grant.";
    });
  }

  private static RevocationReason reason(@Nullable String value) {
    String code = Forms.required(value, "Reason", 64);
    if (!REASONS.contains(code)) {
      throw new ConsoleInputException("Reason must be one of " + REASONS + ".");
    }
    return RevocationReason.of(code);
  }
}
